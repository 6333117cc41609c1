// The online backend: user:create, user:password and user:delete fed to one
// `prosodyctl shell` session, a few commands ahead of their replies.
#include "prosody/online_backend.hpp"

#include <string.h>  // explicit_bzero

#include <algorithm>
#include <deque>
#include <exception>
#include <optional>
#include <utility>

#include "log/logger.hpp"
#include "prosody/lua_escape.hpp"

namespace meetgate::prosody {
namespace {

// Commands written ahead of their replies. The shell reads a line only after the
// previous reply, so this keeps it busy without a round trip per command, and bounds
// what still runs once a stop is requested.
constexpr size_t kWindow = 8;

constexpr size_t kMaxReason = 200;

enum class Command { kCreate, kPassword, kDelete };

// One command for one operation; a follow-up is the second try after a conflict.
struct Step {
  size_t index;
  Command command;
  bool follow_up = false;
};

Command first_command(OperationKind kind) {
  switch (kind) {
    case OperationKind::kCreate:
      return Command::kCreate;
    case OperationKind::kUpdate:
      return Command::kPassword;
    case OperationKind::kDelete:
      return Command::kDelete;
  }
  return Command::kCreate;
}

void wipe(std::string& text) {
  explicit_bzero(text.data(), text.size());
  text.clear();
}

// The Lua line for a step: `user:create("<jid>", "<password>")` and so on, every value
// escaped byte by byte, so no username or password can run code in the server. The
// caller wipes it; reserved up front so no reallocation leaves a copy behind.
std::string command_line(Command command, const AccountOperation& operation) {
  std::string password = command == Command::kDelete ? "" : lua_literal(operation.password);
  const std::string jid = lua_literal(operation.username + "@" + operation.host);
  std::string line;
  line.reserve(jid.size() + password.size() + 32);
  switch (command) {
    case Command::kCreate:
      line += "user:create(";
      break;
    case Command::kPassword:
      line += "user:password(";
      break;
    case Command::kDelete:
      line += "user:delete(";
      break;
  }
  line += jid;
  if (command != Command::kDelete) {
    line += ", ";
    line += password;
  }
  line += ')';
  wipe(password);
  return line;
}

// Operations the server would carry out wrongly: an empty name makes a bogus account.
std::optional<std::string> refusal(const AccountOperation& operation) {
  if (operation.username.empty())
    return "refusing an empty username";
  if (operation.host.empty())
    return "refusing an empty host";
  return std::nullopt;
}

// What the reply means for the operation.
struct Judgement {
  OperationResult result;
  std::optional<Command> follow_up;
};

// A reason never carries the password, even should the server ever echo it.
std::string reason_from(std::string_view text, const AccountOperation& operation) {
  if (text.starts_with("Error: "))
    text.remove_prefix(7);
  if (!operation.password.empty() && text.find(operation.password) != std::string_view::npos)
    return "prosodyctl shell refused the change";
  if (text.size() <= kMaxReason)
    return std::string(text);
  size_t cut = kMaxReason - 3;  // on a UTF-8 character boundary
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
    --cut;
  return std::string(text.substr(0, cut)) + "...";
}

// The offline backend's register is an upsert and a missing account counts as
// deleted; the same goals here take a second command when the account changed between
// the plan and the shell (or a live session still holds a deleted user's name).
Judgement judge(const Step& step, const ShellReply& reply, const AccountOperation& operation) {
  if (reply.ok)
    return {{true, {}}, std::nullopt};
  std::string reason = reason_from(reply.text, operation);
  if (step.command == Command::kDelete && reason == "No such user")
    return {{true, {}}, std::nullopt};
  if (!step.follow_up && step.command == Command::kCreate && reason == "User exists")
    return {{}, Command::kPassword};
  if (!step.follow_up && step.command == Command::kPassword && reason == "No such user")
    return {{}, Command::kCreate};
  return {{false, std::move(reason)}, std::nullopt};
}

// Calls on_done, keeping the first exception for after the batch: a throwing callback
// must not leave the other operations without a result.
class Reporter {
 public:
  explicit Reporter(const AccountBackend::Progress& on_done) : on_done_(on_done) {}

  void operator()(const AccountOperation& operation, const OperationResult& result) {
    if (!on_done_)
      return;
    try {
      on_done_(operation, result);
    } catch (...) {
      if (!error_)
        error_ = std::current_exception();
    }
  }

  // The first exception a callback threw, if any.
  std::exception_ptr error() const { return error_; }

 private:
  const AccountBackend::Progress& on_done_;
  std::exception_ptr error_;
};

// The steps of one batch: not sent yet, and sent but not answered yet (in order).
struct Queues {
  std::deque<Step> unsent;
  std::deque<Step> in_flight;
};

// Sends commands until kWindow are ahead of their replies; none once a stop is
// requested. False when the shell no longer reads.
bool fill_window(ShellSession& session, const std::vector<AccountOperation>& operations,
                 Queues& queues, const std::stop_token& stop) {
  while (!stop.stop_requested() && queues.in_flight.size() < kWindow && !queues.unsent.empty()) {
    const Step step = queues.unsent.front();
    std::string line = command_line(step.command, operations[step.index]);
    const bool sent = session.send(line);
    wipe(line);
    if (!sent)
      return false;
    queues.in_flight.push_back(step);
    queues.unsent.pop_front();
  }
  return true;
}

// Feeds the shell and reads its replies until every step is answered, or the shell
// stops answering. An answered operation gets its result and its on_done call.
void converse(ShellSession& session, const std::vector<AccountOperation>& operations,
              Queues& queues, std::vector<OperationResult>& results, Reporter& report,
              const std::stop_token& stop) {
  bool reading = true;
  while (true) {
    reading = reading && fill_window(session, operations, queues, stop);
    if (queues.in_flight.empty())
      return;

    // Replies come in command order.
    const auto reply = session.next_reply();
    if (!reply)
      return;
    const Step step = queues.in_flight.front();
    queues.in_flight.pop_front();
    const AccountOperation& operation = operations[step.index];
    Judgement judgement = judge(step, *reply, operation);
    if (judgement.follow_up) {
      queues.unsent.push_front({step.index, *judgement.follow_up, true});
      continue;
    }
    results[step.index] = std::move(judgement.result);
    report(operation, results[step.index]);
  }
}

}  // namespace

OnlineBackend::OnlineBackend(ShellSettings settings) : settings_(std::move(settings)) {
  // Prosody resolves Include relative to the working directory when the config path
  // is relative, so hand it an absolute path.
  if (!settings_.config.empty())
    settings_.config = std::filesystem::absolute(settings_.config);
}

OnlineBackend::Batch OnlineBackend::run(const std::vector<AccountOperation>& operations,
                                        const Progress& on_done, std::stop_token stop) {
  Batch batch;
  batch.results.resize(operations.size());
  Reporter report(on_done);

  // Refused operations never reach the shell.
  Queues queues;
  for (size_t i = 0; i < operations.size(); ++i) {
    if (auto reason = refusal(operations[i])) {
      batch.results[i] = {false, *reason};
      report(operations[i], batch.results[i]);
    } else {
      queues.unsent.push_back({i, first_command(operations[i].kind)});
    }
  }

  if (!queues.unsent.empty()) {
    ++sessions_;
    ShellSession session(settings_);
    converse(session, operations, queues, batch.results, report, stop);
    session.close();
    batch.end_reason = session.end_reason();
  }

  // Sent without a reply: unknown. Never sent: skipped when stopping, else unknown too.
  for (const Step& step : queues.in_flight)
    batch.unanswered.push_back(step.index);
  for (const Step& step : queues.unsent) {
    if (stop.stop_requested()) {
      batch.results[step.index] = {false, "not started: meetgate is stopping", true};
      report(operations[step.index], batch.results[step.index]);
    } else {
      batch.unanswered.push_back(step.index);
    }
  }
  std::sort(batch.unanswered.begin(), batch.unanswered.end());
  batch.callback_error = report.error();
  return batch;
}

std::vector<OperationResult> OnlineBackend::apply(const std::vector<AccountOperation>& operations,
                                                  const Progress& on_done, std::stop_token stop) {
  Batch batch = run(operations, on_done, stop);
  Reporter report(on_done);
  for (size_t index : batch.unanswered) {
    batch.results[index] = {false, "no answer from prosodyctl shell: " + batch.end_reason};
    report(operations[index], batch.results[index]);
  }
  if (!batch.unanswered.empty()) {
    log::error("shell_session_ended",
               {{"unanswered", batch.unanswered.size()}, {"reason", batch.end_reason}});
  }
  if (auto error = batch.callback_error ? batch.callback_error : report.error())
    std::rethrow_exception(error);
  return std::move(batch.results);
}

}  // namespace meetgate::prosody
