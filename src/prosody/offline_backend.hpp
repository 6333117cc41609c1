// The offline backend: one `prosodyctl --config ABS register|unregister` per change.
// Works while the server is down; passwords go on stdin, never argv.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

#include "prosody/account_backend.hpp"

namespace meetgate::prosody {

struct ProsodyctlSettings {
  std::string program = "prosodyctl";
  std::filesystem::path config;  // absolute: relative paths break Prosody's Include
  std::chrono::milliseconds timeout{60000};
  int jobs = 1;  // calls at once; never two for one account
};

class OfflineBackend : public AccountBackend {
 public:
  explicit OfflineBackend(ProsodyctlSettings settings);

  const char* name() const override { return "offline"; }
  std::vector<OperationResult> apply(const std::vector<AccountOperation>& operations,
                                     const Progress& on_done, std::stop_token stop = {}) override;

  // Number of prosodyctl processes started so far (for tests and metrics).
  long calls() const { return calls_; }

 private:
  OperationResult run_one(const AccountOperation& operation);

  ProsodyctlSettings settings_;
  std::atomic<long> calls_{0};
};

}  // namespace meetgate::prosody
