// Tests for ShellReplyReader against output shaped like prosodyctl shell's (0.12.3).
#include "prosody/shell_reply.hpp"

#include <catch2/catch.hpp>

using meetgate::prosody::ShellReply;
using meetgate::prosody::ShellReplyReader;

namespace {

// "ok:text" per reply, for compact checks.
std::vector<std::string> summary(const std::vector<ShellReply>& replies) {
  std::vector<std::string> out;
  for (const auto& reply : replies)
    out.push_back((reply.ok ? "ok:" : "error:") + reply.text);
  return out;
}

}  // namespace

TEST_CASE("replies after prompts are read in order, success and error") {
  ShellReplyReader reader;

  auto replies = reader.feed(
      "prosody> | OK: User created\n"
      "prosody> ! Error: User exists\n"
      "prosody> | OK: User password changed\n"
      "prosody> ");

  CHECK(summary(replies) == std::vector<std::string>{"ok:OK: User created",
                                                     "error:Error: User exists",
                                                     "ok:OK: User password changed"});
}

TEST_CASE("prosodyctl's start-up noise is no reply") {
  ShellReplyReader reader;

  auto replies = reader.feed(
      "**************************\n"
      "Prosody was unable to find lua-unbound\n"
      "        Debian/Ubuntu | sudo apt install lua-unbound\n"
      "certmanager         error\tError indexing certificate directory\n"
      "prosody> | OK: User deleted\n");

  CHECK(summary(replies) == std::vector<std::string>{"ok:OK: User deleted"});
  CHECK(reader.notes().empty());
}

TEST_CASE("a reply split over several reads is read once complete") {
  ShellReplyReader reader;

  CHECK(reader.feed("prosody> | OK: Us").empty());
  auto replies = reader.feed("er created\r\nprosody> ! Err");

  CHECK(summary(replies) == std::vector<std::string>{"ok:OK: User created"});
  CHECK(summary(reader.feed("or: No such user\n")) ==
        std::vector<std::string>{"error:Error: No such user"});
}

TEST_CASE("command output before a reply is not a reply") {
  ShellReplyReader reader;

  auto replies = reader.feed(
      "prosody> | alice@meet.test\n"
      "| bob@meet.test\n"
      "| OK: Showing all 2 users\n"
      "prosody> | Fatal error while running command, it did not complete\n"
      "| Error: attempt to index a nil value\n");

  CHECK(summary(replies) == std::vector<std::string>{"ok:OK: Showing all 2 users"});
}

TEST_CASE("a bare result is a success unless it is nil or false") {
  ShellReplyReader reader;

  auto replies = reader.feed("| Result: true\n| Result: nil\n| Result: false\n");

  CHECK(summary(replies) ==
        std::vector<std::string>{"ok:Result: true", "error:Result: nil", "error:Result: false"});
}

TEST_CASE("Lua and syntax errors are failed replies") {
  ShellReplyReader reader;

  auto replies = reader.feed(
      "prosody> ! Sorry, I couldn't understand that... console:1: unexpected symbol\n"
      "prosody> prosody> ! console:1: attempt to call a nil value (global 'error')\n");

  CHECK(summary(replies) ==
        std::vector<std::string>{
            "error:Sorry, I couldn't understand that... console:1: unexpected symbol",
            "error:console:1: attempt to call a nil value (global 'error')"});
}

TEST_CASE("why the shell could not connect, or lost the server, is kept") {
  ShellReplyReader failed;
  ShellReplyReader lost;

  failed.feed(
      "** Unable to connect to server - is it running? Is mod_admin_shell enabled?\n"
      "** Connection error: No such file or directory\n");
  lost.feed("prosody> | OK: User created\n--- session closed ---\n");

  CHECK(failed.notes() ==
        "Unable to connect to server - is it running? Is mod_admin_shell enabled?; "
        "Connection error: No such file or directory");
  CHECK(lost.notes() == "the server closed the admin session");
}

TEST_CASE("the configured prompt is stripped like the default one") {
  ShellReplyReader reader("jitsi$ ");

  auto replies = reader.feed("jitsi$ | OK: User created\njitsi$ ! Error: User exists\n");

  CHECK(summary(replies) ==
        std::vector<std::string>{"ok:OK: User created", "error:Error: User exists"});
}
