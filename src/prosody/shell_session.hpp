// One `prosodyctl --config ABS shell --quiet` process fed commands on stdin, with its
// replies read back one by one. The admin shell runs each line as Lua inside the server.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prosody/shell_reply.hpp"
#include "util/process.hpp"

namespace meetgate::prosody {

struct ShellSettings {
  std::string program = "prosodyctl";
  std::filesystem::path config;              // absolute: relative paths break Prosody's Include
  std::filesystem::path data_path;           // where the shell keeps `.shell_history`
  std::string prompt = "prosody> ";          // the config's admin_shell_prompt
  std::chrono::milliseconds timeout{60000};  // longest wait for one reply
};

// The environment prosodyctl shell gets: ours (util::child_environment) plus a LUA_INIT
// that makes `require "readline"` fail. With lua-readline loaded, the shell appends
// every line it read, passwords included, to <data_path>/.shell_history at end of
// input; without it the shell reads plain lines and keeps no history.
std::vector<std::string> shell_environment();

// Puts `<data_path>/.shell_history` back as it was before a session, should the
// session have written it after all (a prosodyctl run by `lua -E` ignores LUA_INIT).
class ShellHistoryGuard {
 public:
  // Remembers the file as it is now; an empty `data_path` guards nothing.
  explicit ShellHistoryGuard(const std::filesystem::path& data_path);
  ~ShellHistoryGuard();
  ShellHistoryGuard(const ShellHistoryGuard&) = delete;
  ShellHistoryGuard& operator=(const ShellHistoryGuard&) = delete;

  // Restores the file if it changed; true when it had to. Logs a warning then.
  bool restore();

 private:
  std::filesystem::path path_;
  std::optional<std::string> before_;  // the operator's history: may hold their secrets
  bool readable_ = false;
};

class ShellSession {
 public:
  // Starts the shell; a failure to start shows as a session that answers nothing.
  explicit ShellSession(const ShellSettings& settings);
  // Closes the session if close() was not called.
  ~ShellSession();
  ShellSession(const ShellSession&) = delete;
  ShellSession& operator=(const ShellSession&) = delete;

  // Sends one command line (without its newline). False when the shell no longer reads.
  bool send(std::string_view command);

  // The reply to the oldest command not answered yet, waiting up to the timeout.
  // nullopt when none will come: the shell ended, or gave no answer in time.
  std::optional<ShellReply> next_reply();

  // Ends the input and waits for the shell to exit (killed at once when it stalled,
  // else after the timeout); then checks the history file.
  void close();

  // Why replies stopped coming, after close():
  // the shell's own words ("Unable to connect to server - is it running? ..."), a
  // timeout, or its exit status.
  std::string end_reason() const;

 private:
  using Clock = std::chrono::steady_clock;

  void finish(Clock::time_point deadline);

  ShellSettings settings_;
  ShellHistoryGuard history_;
  std::unique_ptr<util::InteractiveProcess> process_;
  ShellReplyReader reader_;
  std::deque<ShellReply> ready_;  // replies read but not handed out yet
  bool stalled_ = false;
  bool closed_ = false;
  util::ProcessResult result_;  // after close()
};

}  // namespace meetgate::prosody
