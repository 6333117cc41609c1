// MEETGATE_BACKEND=auto: online while Prosody's admin socket answers, offline otherwise,
// and offline for whatever a shell session left unanswered when the server went away.
#pragma once

#include <filesystem>
#include <stop_token>
#include <vector>

#include "prosody/account_backend.hpp"
#include "prosody/offline_backend.hpp"
#include "prosody/online_backend.hpp"

namespace meetgate::prosody {

class AutoBackend : public AccountBackend {
 public:
  AutoBackend(ShellSettings online, ProsodyctlSettings offline, std::filesystem::path admin_socket);

  // The backend the last apply() used: "offline" when any operation went through
  // register/unregister (whose changes leave live sessions connected), else "online";
  // "auto" before the first batch.
  const char* name() const override { return used_; }

  // Probes the admin socket (not when there is nothing to do), runs the batch online
  // when it answers, and hands the operations a session left unanswered (it could not
  // connect, or the server stopped mid-batch) to the offline backend, so the batch
  // converges either way. The register upsert and the unregister of a missing account
  // make a repeat of a command that did run harmless.
  std::vector<OperationResult> apply(const std::vector<AccountOperation>& operations,
                                     const Progress& on_done, std::stop_token stop = {}) override;

 private:
  std::vector<OperationResult> apply_offline(const std::vector<AccountOperation>& operations,
                                             const Progress& on_done, std::stop_token stop);

  // Fails (while stopping) or hands to the offline backend what `batch` left unanswered.
  void settle_unanswered(const std::vector<AccountOperation>& operations,
                         OnlineBackend::Batch& batch, const Progress& on_done,
                         std::stop_token stop);

  OnlineBackend online_;
  OfflineBackend offline_;
  std::filesystem::path admin_socket_;
  const char* used_ = "auto";
};

}  // namespace meetgate::prosody
