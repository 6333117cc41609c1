// The text users file: "username:password" lines, comments, CRLF, locations.
#include "users/text_format.hpp"

#include <catch2/catch.hpp>

#include "users/users_source.hpp"
#include "users_test_support.hpp"

using meetgate::users::parse_text_users;
using meetgate::users::read_text_entries;
using meetgate::users::test::jitsi_domains;

TEST_CASE("a line splits at the first ':' and keeps the password exactly", "[text_format]") {
  const auto raw = read_text_entries("alice: pa:ss #1 $HOME 'q' \"d\" \n", "users.txt");

  REQUIRE(raw.entries.size() == 1);
  CHECK(raw.entries[0].name == "alice");
  CHECK(raw.entries[0].password == " pa:ss #1 $HOME 'q' \"d\" ");
  CHECK(raw.entries[0].location == "users.txt:1");
}

TEST_CASE("spaces and tabs around the username are trimmed", "[text_format]") {
  const auto raw = read_text_entries(" \tbob \t:pw", "users.txt");

  REQUIRE(raw.entries.size() == 1);
  CHECK(raw.entries[0].name == "bob");
  CHECK(raw.entries[0].password == "pw");
}

TEST_CASE("CRLF loses exactly one '\\r'", "[text_format]") {
  const auto raw = read_text_entries("a:one\r\nb:two\r\r\nc:three\r", "users.txt");

  REQUIRE(raw.entries.size() == 3);
  CHECK(raw.entries[0].password == "one");
  CHECK(raw.entries[1].password == "two\r");
  CHECK(raw.entries[2].password == "three");
}

TEST_CASE("blank and comment lines are skipped but counted", "[text_format]") {
  const auto raw =
      read_text_entries("# users\n\n  \t\n  # alice:old\nalice:#not-a-comment\n", "users.txt");

  REQUIRE(raw.entries.size() == 1);
  CHECK(raw.entries[0].password == "#not-a-comment");
  CHECK(raw.entries[0].location == "users.txt:5");
}

TEST_CASE("a UTF-8 byte order mark at the start is skipped", "[text_format]") {
  const auto raw = read_text_entries(
      "\xef\xbb\xbf"
      "alice:pw\n",
      "users.txt");

  REQUIRE(raw.entries.size() == 1);
  CHECK(raw.entries[0].name == "alice");
}

TEST_CASE("a line without ':' is an error that does not quote the line", "[text_format]") {
  const auto raw = read_text_entries("alice:pw\nbob hunter2\n", "users.txt");

  REQUIRE(raw.problems.size() == 1);
  CHECK(raw.problems[0].to_string() ==
        "users.txt:2: expected username:password but the line has no ':'");
}

TEST_CASE("parsed users are nodeprep'd and placed on their hosts", "[text_format]") {
  const auto result =
      parse_text_users("Alice:pw1\nbob@other.jitsi:pw2\n", "users.txt", jitsi_domains());

  REQUIRE(result.source);
  const auto& users = result.source->users;
  REQUIRE(users.size() == 2);
  CHECK(users[0].username == "alice");
  CHECK(users[0].host == "meet.jitsi");
  CHECK(users[0].password == "pw1");
  CHECK(users[1].username == "bob");
  CHECK(users[1].host == "other.jitsi");
  CHECK_FALSE(result.missing);
}

TEST_CASE("every problem is listed and the source is refused", "[text_format]") {
  const std::string content =
      "Al ice:pw\n"
      "bob:\n"
      "carol@auth.meet.jitsi:pw\n"
      "dave\n"
      "erin:ok\n"
      "party\xf0\x9f\x8e\x89:pw\n";

  const auto result = parse_text_users(content, "users.txt", jitsi_domains());

  CHECK_FALSE(result.source);
  std::vector<std::string> lines;
  for (const auto& problem : result.problems)
    lines.push_back(problem.to_string());
  CHECK(lines == std::vector<std::string>{
                     "users.txt:4: expected username:password but the line has no ':'",
                     "users.txt:1: username \"Al ice\" contains a space",
                     "users.txt:2: password of \"bob\" is empty",
                     "users.txt:3: user is on the auth domain auth.meet.jitsi (service "
                     "accounts only): put users on meet.jitsi",
                     "users.txt:6: username \"party\xf0\x9f\x8e\x89\" contains a character "
                     "not allowed in a Jabber ID",
                 });
}

TEST_CASE("an empty file is a valid source with nobody in it", "[text_format]") {
  const auto result = parse_text_users("# nobody yet\n", "users.txt", jitsi_domains());

  REQUIRE(result.source);
  CHECK(result.source->users.empty());
  CHECK(result.problems.empty());
}
