// Runs `prosodyctl shell` as a conversation: one command line out, one reply back, with
// readline kept out so no history file is written, and checked afterwards all the same.
#include "prosody/shell_session.hpp"

#include <fcntl.h>
#include <string.h>  // explicit_bzero
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <system_error>

#include "log/logger.hpp"
#include "util/file_io.hpp"
#include "util/unique_fd.hpp"

namespace meetgate::prosody {
namespace {

// Run by the Lua interpreter before prosodyctl itself (lua.c's LUA_INIT, honoured by
// Lua 5.1 to 5.4). Prosody's shell loads readline with pcall(require, "readline")
// and falls back to io.read, so a failing loader is all it takes.
constexpr const char* kNoReadline =
    "LUA_INIT=package.preload[\"readline\"] = function() "
    "error(\"meetgate: no readline, so no shell history\", 0) end";

constexpr const char* kHistoryFile = ".shell_history";

// The file's bytes; nullopt when it is absent. Only a regular file is read, never
// through a symlink: as root, a link planted in the data directory must not make us
// copy another file's content back into it. `readable` turns false for anything else.
std::optional<std::string> read_if_present(const std::filesystem::path& path, bool& readable) {
  readable = true;
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) {
    readable = errno == ENOENT;
    return std::nullopt;
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    readable = false;
    return std::nullopt;
  }

  std::string text;
  char buffer[16384];
  ssize_t count;
  while ((count = ::read(fd.get(), buffer, sizeof buffer)) != 0) {
    if (count < 0 && errno == EINTR)
      continue;
    if (count < 0) {
      readable = false;
      explicit_bzero(text.data(), text.size());
      return std::nullopt;
    }
    text.append(buffer, static_cast<size_t>(count));
  }
  explicit_bzero(buffer, sizeof buffer);
  return text;
}

void wipe(std::string& text) {
  explicit_bzero(text.data(), text.size());
  text.clear();
}

std::string describe(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0)
    return fmt::format("{}s", duration.count() / 1000);
  return fmt::format("{}ms", duration.count());
}

std::string first_line(std::string_view text) {
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (line.find_first_not_of(" \t\r") != std::string_view::npos)
      return std::string(line.substr(0, 200));
  }
  return {};
}

}  // namespace

std::vector<std::string> shell_environment() {
  auto environment = util::child_environment();
  environment.emplace_back(kNoReadline);
  return environment;
}

ShellHistoryGuard::ShellHistoryGuard(const std::filesystem::path& data_path) {
  if (data_path.empty())
    return;
  path_ = data_path / kHistoryFile;
  before_ = read_if_present(path_, readable_);
}

ShellHistoryGuard::~ShellHistoryGuard() {
  if (before_)
    wipe(*before_);
}

bool ShellHistoryGuard::restore() {
  if (path_.empty())
    return false;
  bool readable = true;
  auto now = read_if_present(path_, readable);
  const bool changed = readable_ && readable && now != before_;
  if (now)
    wipe(*now);
  if (!changed)
    return false;

  std::error_code error;
  if (!before_) {
    std::filesystem::remove(path_, error);
  } else {
    try {
      util::WriteOptions options;
      options.follow_symlinks = false;
      util::write_file_atomically(path_, *before_, options);
    } catch (const std::system_error& failure) {
      error = failure.code();
    }
  }
  log::warn("shell_history_restored",
            {{"path", path_.string()},
             {"result", error ? "failed: " + error.message() : std::string("restored")},
             {"reason", "prosodyctl shell wrote its history despite LUA_INIT"}});
  return true;
}

ShellSession::ShellSession(const ShellSettings& settings)
    : settings_(settings), history_(settings.data_path), reader_(settings.prompt) {
  // --quiet: no banner. Commands go on stdin only: argv is world-readable in /proc.
  process_ = std::make_unique<util::InteractiveProcess>(
      std::vector<std::string>{settings_.program, "--config", settings_.config.string(), "shell",
                               "--quiet"},
      shell_environment());
}

ShellSession::~ShellSession() {
  try {
    close();
  } catch (...) {
    // Logging failed while restoring history; the process is reaped either way.
  }
}

bool ShellSession::send(std::string_view command) {
  if (closed_ || stalled_ || !process_->spawn_error().empty())
    return false;
  std::string line;
  line.reserve(command.size() + 1);
  line.append(command);
  line += '\n';
  const bool sent = process_->write(line, Clock::now() + settings_.timeout);
  wipe(line);
  return sent;
}

std::optional<ShellReply> ShellSession::next_reply() {
  const auto deadline = Clock::now() + settings_.timeout;
  while (ready_.empty()) {
    if (closed_ || stalled_ || !process_->spawn_error().empty())
      return std::nullopt;
    switch (process_->wait(deadline)) {
      case util::InteractiveProcess::Wait::kOutput:
        for (auto& reply : reader_.feed(process_->take_output()))
          ready_.push_back(std::move(reply));
        break;
      case util::InteractiveProcess::Wait::kEnded:
        return std::nullopt;
      case util::InteractiveProcess::Wait::kTimedOut:
        stalled_ = true;
        return std::nullopt;
    }
  }
  ShellReply reply = std::move(ready_.front());
  ready_.pop_front();
  return reply;
}

void ShellSession::close() {
  if (closed_)
    return;
  finish(stalled_ ? Clock::now() : Clock::now() + settings_.timeout);
}

void ShellSession::finish(Clock::time_point deadline) {
  closed_ = true;
  result_ = process_->finish(deadline);
  reader_.feed(result_.out);  // for its notes: replies after the end are not waited for
  history_.restore();
}

std::string ShellSession::end_reason() const {
  if (!process_->spawn_error().empty())
    return process_->spawn_error();
  if (stalled_)
    return "prosodyctl shell gave no answer within " + describe(settings_.timeout);
  if (auto notes = reader_.notes(); !notes.empty())
    return notes;
  if (auto line = first_line(result_.err); !line.empty())
    return line;
  if (result_.timed_out)
    return "prosodyctl shell did not exit within " + describe(settings_.timeout);
  if (result_.term_signal != 0)
    return fmt::format("prosodyctl shell killed by signal {}", result_.term_signal);
  if (result_.exit_code > 0)
    return fmt::format("prosodyctl shell exited with code {}", result_.exit_code);
  return "prosodyctl shell ended before answering";
}

}  // namespace meetgate::prosody
