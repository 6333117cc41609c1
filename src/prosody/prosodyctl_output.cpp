// Decides what one `prosodyctl register|unregister` call did, from its exit status and
// what it printed, and picks the one line of output that says why it failed.
#include "prosody/prosodyctl_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace meetgate::prosody {
namespace {

constexpr size_t kMaxReason = 200;

// Text that means the account was not written even when prosodyctl exits 0:
// storage errors are logged by datamanager and prosodyctl goes on; a traceback
// comes from a configuration prosodyctl did not expect.
constexpr std::string_view kFatalMarkers[] = {
    "Permission denied",        "datamanager error", "Error saving to storage",
    "Unable to store, perhaps", "stack traceback",
};

// Printed by startup.lua when root cannot become `prosody_user`; prosodyctl then
// goes on as root and exits 0, leaving account files the server cannot read.
constexpr std::string_view kSwitchFailed = "Couldn't switch to Prosody user";

// What read_password prints before each line it reads from stdin.
constexpr std::string_view kPrompts[] = {"Enter new password:", "Retype new password:"};

// Lines that never explain a failure: the certmanager complaint about a missing
// certs/ directory, stty errors when stdin is no terminal, and the frame and
// boilerplate of startup.lua's config error banner.
constexpr std::string_view kNoisePrefixes[] = {
    "certmanager",
    "stty:",
    "More help on configuring Prosody",
    "Good luck!",
    "A sample config file is included",
    "Copy or rename it to prosody.cfg.lua",
};

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Skips one escape sequence starting at text[i] (ESC); returns the index after it.
// read_password hides the missing echo with ESC[08m ... ESC[00m.
size_t skip_escape(std::string_view text, size_t i) {
  if (i + 1 < text.size() && text[i + 1] == '[') {
    size_t end = i + 2;
    while (end < text.size() && (text[end] < 0x40 || text[end] > 0x7e))
      ++end;
    return std::min(end + 1, text.size());
  }
  return std::min(i + 2, text.size());
}

// One output line as plain text: escape sequences dropped, control characters and
// runs of blanks turned into one space, password prompts stripped from the front.
std::string clean_line(std::string_view raw) {
  std::string line;
  for (size_t i = 0; i < raw.size();) {
    auto byte = static_cast<unsigned char>(raw[i]);
    if (byte == 0x1b) {
      i = skip_escape(raw, i);
      continue;
    }
    bool blank = byte < 0x20 || byte == 0x7f || byte == ' ';
    if (!blank)
      line += raw[i];
    if (blank && !line.empty() && line.back() != ' ')
      line += ' ';
    ++i;
  }
  if (!line.empty() && line.back() == ' ')
    line.pop_back();

  for (bool stripped = true; stripped;) {
    stripped = false;
    for (auto prompt : kPrompts) {
      if (line.starts_with(prompt)) {
        line.erase(0, std::min(line.size(), prompt.size() + 1));
        stripped = true;
      }
    }
  }
  return line;
}

bool is_noise(std::string_view line) {
  if (line.find_first_not_of('*') == std::string_view::npos)
    return true;  // also empty
  return std::any_of(std::begin(kNoisePrefixes), std::end(kNoisePrefixes),
                     [&](std::string_view prefix) { return line.starts_with(prefix); });
}

bool holds_password(std::string_view raw, std::string_view line, std::string_view password) {
  if (password.empty())
    return false;
  std::string cleaned = clean_line(password);
  return contains(raw, password) || (!cleaned.empty() && contains(line, cleaned));
}

// The lines of one stream that may be quoted: cleaned, noise dropped, and every line
// holding the password dropped (prosodyctl echoes prompts; a line never carries
// the password into a reason, a log or a metric).
std::vector<std::string> quotable_lines(std::string_view text, std::string_view password) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    size_t end = std::min(text.find('\n'), text.size());
    std::string_view raw = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));

    std::string line = clean_line(raw);
    if (!is_noise(line) && !holds_password(raw, line, password))
      lines.push_back(line);
  }
  return lines;
}

// Both streams cleaned, noise dropped, for spotting the markers: a certmanager line
// about an unreadable certs directory says "Permission denied" about nothing we did.
std::string cleaned_text(const util::ProcessResult& result) {
  std::string all;
  for (std::string_view text : {std::string_view(result.out), std::string_view(result.err)}) {
    while (!text.empty()) {
      size_t end = std::min(text.find('\n'), text.size());
      std::string line = clean_line(text.substr(0, end));
      text.remove_prefix(std::min(end + 1, text.size()));
      if (is_noise(line))
        continue;
      all += line;
      all += '\n';
    }
  }
  return all;
}

const std::string* first_with(const std::vector<std::string>& lines, std::string_view part,
                              bool at_start) {
  for (const auto& line : lines) {
    if (at_start ? line.starts_with(part) : contains(line, part))
      return &line;
  }
  return nullptr;
}

// The line that best says what went wrong: the error a Lua traceback follows, a
// "Permission denied", datamanager's error (it names the OS reason, "No space left
// on device", that prosodyctl's "Error: Error saving to storage" after it drops),
// prosodyctl's "Error: ..." lines, else its last word (the message of a failed
// register/unregister is printed last, on stdout).
std::string telling_line(const util::ProcessResult& result, std::string_view password) {
  const auto out = quotable_lines(result.out, password);
  const auto err = quotable_lines(result.err, password);

  for (const auto* lines : {&err, &out}) {
    auto trace = std::find(lines->begin(), lines->end(), "stack traceback:");
    if (trace != lines->end() && trace != lines->begin())
      return *(trace - 1);
  }
  for (auto [part, at_start] : {std::pair<std::string_view, bool>{"Permission denied", false},
                                {"datamanager error", true},
                                {"Error", true},
                                {"unable to find the configuration file", false}}) {
    if (const auto* line = first_with(out, part, at_start))
      return *line;
    if (const auto* line = first_with(err, part, at_start))
      return *line;
  }
  if (!out.empty())
    return out.back();
  if (!err.empty())
    return err.back();
  return {};
}

// At most kMaxReason bytes, cut on a UTF-8 character boundary.
std::string shorten(std::string line) {
  if (line.size() <= kMaxReason)
    return line;
  size_t cut = kMaxReason - 3;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xc0) == 0x80)
    --cut;
  line.resize(cut);
  return line + "...";
}

std::string describe(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0)
    return fmt::format("{}s", duration.count() / 1000);
  return fmt::format("{}ms", duration.count());
}

OperationResult failure(std::string reason) {
  return {false, shorten(std::move(reason))};
}

// A call that ran to an exit: what its output says.
OperationResult judge_output(OperationKind kind, const util::ProcessResult& result,
                             std::string_view password) {
  const std::string text = cleaned_text(result);
  if (contains(text, kSwitchFailed)) {
    return failure(
        "prosodyctl could not switch to the prosody user: run meetgate as the data "
        "directory's owner");
  }

  const bool fatal = std::any_of(std::begin(kFatalMarkers), std::end(kFatalMarkers),
                                 [&](std::string_view marker) { return contains(text, marker); });
  if (fatal) {
    std::string line = telling_line(result, password);
    return failure(line.empty() ? "prosodyctl failed to write the account" : line);
  }

  // Deleting what is already gone reached the goal ("The given user does not exist
  // on the server"); an unreadable account file says the same but was caught above.
  if (kind == OperationKind::kDelete && contains(text, "user does not exist"))
    return {true, {}};

  if (result.exit_code < 0)
    return failure("prosodyctl's exit status was lost");
  if (result.exit_code != 0) {
    std::string line = telling_line(result, password);
    if (line.empty())
      line = fmt::format("prosodyctl exited with code {}", result.exit_code);
    return failure(line);
  }
  return {true, {}};
}

}  // namespace

OperationResult classify_prosodyctl(OperationKind kind, const util::ProcessResult& result,
                                    std::string_view password, std::chrono::milliseconds timeout) {
  if (!result.spawn_error.empty())
    return failure(result.spawn_error);
  if (result.timed_out) {
    if (timeout.count() <= 0)
      return failure("prosodyctl timed out");
    return failure("prosodyctl timed out after " + describe(timeout));
  }
  if (result.term_signal != 0) {
    return failure(fmt::format("prosodyctl killed by signal {}", result.term_signal));
  }
  return judge_output(kind, result, password);
}

}  // namespace meetgate::prosody
