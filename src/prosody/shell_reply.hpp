// Reads what `prosodyctl shell` prints while it is fed commands on stdin: one reply per
// command, told apart from the prompts, command output and prosodyctl's own notes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace meetgate::prosody {

// The server's answer to one command, without its "| " or "! " mark.
struct ShellReply {
  bool ok = false;
  std::string text;  // "OK: User created", "Error: User exists", ...
};

// Splits the shell's stdout into replies as it arrives. The shell reads one line, sends
// it to the server and prints what comes back before it reads the next, so replies
// come in command order, each on a line of its own after any number of prompts
// (written before each read, flushed with the next line). A reply is:
// - "| OK: ..." or "| Result: ..." (not nil or false): the command succeeded;
// - "! ...": it failed (Lua errors and syntax errors included).
// Other "| " lines are output the command printed (user:list's entries) and come
// before its reply. Any other line is prosodyctl's own: "** ..." lines (such as "Unable
// to connect to server") and "--- session closed ---" (the server went away) are kept
// as notes.
class ShellReplyReader {
 public:
  // `prompt`: Prosody's admin_shell_prompt, "prosody> " unless the config sets one.
  explicit ShellReplyReader(std::string prompt = "prosody> ");

  // Adds stdout bytes; returns the replies they complete, in order.
  std::vector<ShellReply> feed(std::string_view bytes);

  // prosodyctl's notes so far, joined by "; " ("" when none): "Unable to connect to
  // server - is it running? Is mod_admin_shell enabled?; Connection error: ...", or
  // "the server closed the admin session".
  std::string notes() const;

 private:
  void read_line(std::string_view line, std::vector<ShellReply>& replies);

  std::string prompt_;
  std::string partial_;  // a line whose end has not arrived yet
  std::vector<std::string> notes_;
};

}  // namespace meetgate::prosody
