// The offline backend: one `prosodyctl register|unregister` process per change, up to
// `jobs` at once, never two at once for one account.
#include "prosody/offline_backend.hpp"

#include <string.h>  // explicit_bzero

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "prosody/prosodyctl_output.hpp"
#include "util/process.hpp"

namespace meetgate::prosody {
namespace {

// Indices of the operations, grouped per account in input order. Prosody writes an
// account through one `<user>.dat~` scratch file, so two calls for one account must
// not overlap; the plan never asks for that, and a group keeps it true if it did.
std::vector<std::vector<size_t>> group_by_account(const std::vector<AccountOperation>& ops) {
  std::vector<std::vector<size_t>> groups;
  std::map<std::pair<std::string_view, std::string_view>, size_t> group_of;
  for (size_t i = 0; i < ops.size(); ++i) {
    auto [slot, added] = group_of.try_emplace({ops[i].username, ops[i].host}, groups.size());
    if (added)
      groups.emplace_back();
    groups[slot->second].push_back(i);
  }
  return groups;
}

// Operations prosodyctl would carry out wrongly: an empty name creates a bogus
// account file, and a line break would split what we send on stdin.
std::optional<std::string> refusal(const AccountOperation& operation) {
  if (operation.username.empty())
    return "refusing an empty username";
  if (operation.host.empty())
    return "refusing an empty host";
  if (operation.kind != OperationKind::kDelete &&
      operation.password.find_first_of("\r\n") != std::string::npos) {
    return "refusing a password with a line break";
  }
  return std::nullopt;
}

// Holds the password lines for stdin and wipes them when done.
class PasswordInput {
 public:
  explicit PasswordInput(const AccountOperation& operation) {
    // Without a password argument prosodyctl reads it twice from stdin.
    if (operation.kind != OperationKind::kDelete) {
      text_ = operation.password + "\n" + operation.password + "\n";
    }
  }
  ~PasswordInput() { explicit_bzero(text_.data(), text_.size()); }
  PasswordInput(const PasswordInput&) = delete;
  PasswordInput& operator=(const PasswordInput&) = delete;

  std::string_view text() const { return text_; }

 private:
  std::string text_;
};

// Calls on_done one at a time, whichever worker finished.
void report(const AccountOperation& operation, const OperationResult& result,
            const AccountBackend::Progress& on_done, std::mutex& mutex,
            std::exception_ptr& first_error) {
  if (!on_done)
    return;
  std::lock_guard lock(mutex);
  try {
    on_done(operation, result);
  } catch (...) {
    // A throwing callback must not end a worker thread (std::terminate) nor stop
    // the other accounts: the first exception is rethrown once all are done.
    if (!first_error)
      first_error = std::current_exception();
  }
}

}  // namespace

OfflineBackend::OfflineBackend(ProsodyctlSettings settings) : settings_(std::move(settings)) {
  // Prosody resolves Include relative to the working directory when the config path
  // is relative, so hand it an absolute path.
  if (!settings_.config.empty())
    settings_.config = std::filesystem::absolute(settings_.config);
  settings_.jobs = std::max(settings_.jobs, 1);
}

std::vector<OperationResult> OfflineBackend::apply(const std::vector<AccountOperation>& operations,
                                                   const Progress& on_done, std::stop_token stop) {
  std::vector<OperationResult> results(operations.size());
  const auto groups = group_by_account(operations);
  std::mutex progress_mutex;
  std::exception_ptr progress_error;

  // An exception (out of memory) fails one operation, not the batch.
  auto run_guarded = [this](const AccountOperation& operation) -> OperationResult {
    try {
      return run_one(operation);
    } catch (const std::exception& error) {
      return {false, std::string("cannot run prosodyctl: ") + error.what()};
    }
  };

  // One worker's loop: take the next account, run its operations in order.
  std::atomic<size_t> next_group{0};
  auto work = [&] {
    for (size_t g = next_group++; g < groups.size(); g = next_group++) {
      for (size_t index : groups[g]) {
        results[index] = stop.stop_requested()
                             ? OperationResult{false, "not started: meetgate is stopping", true}
                             : run_guarded(operations[index]);
        report(operations[index], results[index], on_done, progress_mutex, progress_error);
      }
    }
  };

  // The calling thread is one of the workers; if a thread cannot be started, the
  // ones that did (and we) take its share.
  const size_t workers = std::min<size_t>(static_cast<size_t>(settings_.jobs), groups.size());
  std::vector<std::jthread> threads;
  for (size_t i = 1; i < workers; ++i) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;
    }
  }
  work();
  threads.clear();  // joins

  if (progress_error)
    std::rethrow_exception(progress_error);
  return results;
}

OperationResult OfflineBackend::run_one(const AccountOperation& operation) {
  if (auto reason = refusal(operation))
    return {false, *reason};

  const bool deleting = operation.kind == OperationKind::kDelete;
  PasswordInput input(operation);
  util::ProcessRequest request;
  request.argv = {settings_.program,         "--config",
                  settings_.config.string(), deleting ? "unregister" : "register",
                  operation.username,        operation.host};
  request.stdin_data = input.text();
  request.timeout = settings_.timeout;
  request.environment = util::child_environment();

  ++calls_;
  const util::ProcessResult result = util::run_process(request);
  return classify_prosodyctl(operation.kind, result, operation.password, settings_.timeout);
}

}  // namespace meetgate::prosody
