// The online backend: one `prosodyctl shell` session per batch, through the running
// server's admin socket. Much faster than a process per change, and the server itself
// disconnects the live sessions of accounts whose password changed or that were deleted.
#pragma once

#include <exception>
#include <stop_token>
#include <string>
#include <vector>

#include "prosody/account_backend.hpp"
#include "prosody/shell_session.hpp"

namespace meetgate::prosody {

class OnlineBackend : public AccountBackend {
 public:
  explicit OnlineBackend(ShellSettings settings);

  const char* name() const override { return "online"; }

  // Operations the shell never answered fail, with the reason it ended.
  std::vector<OperationResult> apply(const std::vector<AccountOperation>& operations,
                                     const Progress& on_done, std::stop_token stop = {}) override;

  // What one session did. An operation the shell never answered (it could not connect,
  // or ended first) gets neither a result nor an on_done call: `unanswered` lists it,
  // in input order, for the caller to fail or hand to another backend. Unanswered
  // commands may or may not have been carried out.
  struct Batch {
    std::vector<OperationResult> results;
    std::vector<size_t> unanswered;
    std::string end_reason;  // why the shell stopped answering
    // An exception on_done threw: the batch went on, the caller rethrows it at the end.
    std::exception_ptr callback_error;
  };
  Batch run(const std::vector<AccountOperation>& operations, const Progress& on_done,
            std::stop_token stop = {});

  // Number of shell sessions started so far (for tests and metrics).
  long sessions() const { return sessions_; }

 private:
  ShellSettings settings_;
  long sessions_ = 0;
};

}  // namespace meetgate::prosody
