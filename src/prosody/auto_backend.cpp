// Chooses between the online and offline backends per batch, and falls back mid-batch.
#include "prosody/auto_backend.hpp"

#include <exception>
#include <utility>

#include "log/logger.hpp"
#include "prosody/admin_socket.hpp"

namespace meetgate::prosody {

AutoBackend::AutoBackend(ShellSettings online, ProsodyctlSettings offline,
                         std::filesystem::path admin_socket)
    : online_(std::move(online)),
      offline_(std::move(offline)),
      admin_socket_(std::move(admin_socket)) {}

std::vector<OperationResult> AutoBackend::apply_offline(
    const std::vector<AccountOperation>& operations, const Progress& on_done,
    std::stop_token stop) {
  used_ = "offline";
  return offline_.apply(operations, on_done, stop);
}

std::vector<OperationResult> AutoBackend::apply(const std::vector<AccountOperation>& operations,
                                                const Progress& on_done, std::stop_token stop) {
  if (operations.empty())
    return {};

  // The server is down (container start, restart): prosodyctl register works anyway.
  if (auto problem = admin_socket_problem(admin_socket_); !problem.empty()) {
    log::info("backend_selected", {{"backend", "offline"},
                                   {"operations", operations.size()},
                                   {"reason", "admin socket does not answer: " + problem}});
    return apply_offline(operations, on_done, stop);
  }

  log::debug("backend_selected", {{"backend", "online"}, {"operations", operations.size()}});
  used_ = "online";
  OnlineBackend::Batch batch = online_.run(operations, on_done, stop);
  if (!batch.unanswered.empty())
    settle_unanswered(operations, batch, on_done, stop);

  if (batch.callback_error)
    std::rethrow_exception(batch.callback_error);
  return std::move(batch.results);
}

void AutoBackend::settle_unanswered(const std::vector<AccountOperation>& operations,
                                    OnlineBackend::Batch& batch, const Progress& on_done,
                                    std::stop_token stop) {
  std::vector<AccountOperation> rest;
  for (size_t index : batch.unanswered)
    rest.push_back(operations[index]);

  // Offline, unless we are stopping: then nothing new may start.
  std::vector<OperationResult> rest_results;
  if (stop.stop_requested()) {
    for (const auto& operation : rest) {
      rest_results.push_back({false, "no answer from prosodyctl shell: " + batch.end_reason});
      try {
        if (on_done)
          on_done(operation, rest_results.back());
      } catch (...) {
        if (!batch.callback_error)
          batch.callback_error = std::current_exception();
      }
    }
  } else {
    log::warn("backend_fallback", {{"from", "online"},
                                   {"to", "offline"},
                                   {"operations", rest.size()},
                                   {"reason", batch.end_reason}});
    rest_results = apply_offline(rest, on_done, stop);
  }

  for (size_t i = 0; i < rest.size(); ++i)
    batch.results[batch.unanswered[i]] = std::move(rest_results[i]);
}

}  // namespace meetgate::prosody
