// The JSON users file: shape, typo guard, password_file, syntax errors.
#include "users/json_format.hpp"

#include <catch2/catch.hpp>

#include "users/users_source.hpp"
#include "users_test_support.hpp"

using meetgate::users::parse_json_users;
using meetgate::users::read_json_entries;
using meetgate::users::test::jitsi_domains;
using meetgate::users::test::TempDirectory;

namespace {

std::vector<std::string> problem_lines(const meetgate::users::RawEntries& raw) {
  std::vector<std::string> lines;
  for (const auto& problem : raw.problems)
    lines.push_back(problem.to_string());
  return lines;
}

}  // namespace

TEST_CASE("users are read in order with their index as location", "[json_format]") {
  const auto result = parse_json_users(
      R"({"users": [{"username": "Alice", "password": " p:w "},
                    {"username": "bob@other.jitsi", "password": "x"}]})",
      "users.json", jitsi_domains());

  REQUIRE(result.source);
  const auto& users = result.source->users;
  REQUIRE(users.size() == 2);
  CHECK(users[0].username == "alice");
  CHECK(users[0].password == " p:w ");
  CHECK(users[0].location == "users.json: users[0]");
  CHECK(users[1].host == "other.jitsi");
  CHECK(users[1].location == "users.json: users[1]");
}

TEST_CASE("a password_file is read with one trailing newline stripped", "[json_format]") {
  TempDirectory dir;
  const auto secret = dir.write("alice.pw", "s3cret\n\n");
  const std::string json =
      R"({"users": [{"username": "alice", "password_file": ")" + secret.string() + R"("}]})";

  const auto raw = read_json_entries(json, "users.json");

  REQUIRE(raw.entries.size() == 1);
  CHECK(raw.entries[0].password == "s3cret\n");
}

TEST_CASE("a relative password_file is found beside the users file", "[json_format]") {
  TempDirectory dir;
  dir.write("secrets/bob", "pw\r\n");
  const auto users = (dir.path() / "users.json").string();

  const auto raw = read_json_entries(
      R"({"users": [{"username": "bob", "password_file": "secrets/bob"}]})", users);

  REQUIRE(raw.entries.size() == 1);
  CHECK(raw.entries[0].password == "pw");
}

TEST_CASE("an unreadable password_file names the file and the OS reason", "[json_format]") {
  const auto raw = read_json_entries(
      R"({"users": [{"username": "bob", "password_file": "/nonexistent/bob"}]})", "users.json");

  CHECK(problem_lines(raw) ==
        std::vector<std::string>{"users.json: users[0]: cannot read password_file "
                                 "/nonexistent/bob: no such file or directory"});
}

TEST_CASE("password and password_file: exactly one of them", "[json_format]") {
  const auto raw = read_json_entries(
      R"({"users": [{"username": "a", "password": "x", "password_file": "/x"},
                    {"username": "b"}]})",
      "users.json");

  CHECK(problem_lines(raw) ==
        std::vector<std::string>{
            "users.json: users[0]: give either \"password\" or \"password_file\", not both",
            "users.json: users[1]: missing \"password\" (or \"password_file\")"});
}

TEST_CASE("unknown keys are named, as a guard against typos", "[json_format]") {
  const auto raw = read_json_entries(
      R"({"users": [{"username": "a", "pasword": "x"}], "user": []})", "users.json");

  CHECK(problem_lines(raw) ==
        std::vector<std::string>{
            "users.json: unknown key \"user\" (allowed: \"users\")",
            "users.json: users[0]: unknown key \"pasword\" (allowed: \"username\", "
            "\"password\", \"password_file\")",
            "users.json: users[0]: missing \"password\" (or \"password_file\")"});
}

TEST_CASE("the top level must be an object with a users array", "[json_format]") {
  CHECK(problem_lines(read_json_entries("[]", "u.json")) ==
        std::vector<std::string>{"u.json: must be a JSON object: {\"users\": [...]}"});
  CHECK(problem_lines(read_json_entries("{}", "u.json")) ==
        std::vector<std::string>{"u.json: missing \"users\": {\"users\": [...]}"});
  CHECK(problem_lines(read_json_entries(R"({"users": {}})", "u.json")) ==
        std::vector<std::string>{"u.json: \"users\" must be an array"});
}

TEST_CASE("each user must be an object of strings", "[json_format]") {
  const auto raw = read_json_entries(
      R"({"users": ["alice:pw", {"username": "bob", "password": 1234}, {"password": "x"}]})",
      "u.json");

  CHECK(problem_lines(raw) ==
        std::vector<std::string>{
            "u.json: users[0]: must be an object with \"username\" and \"password\"",
            "u.json: users[1]: \"password\" must be a string",
            "u.json: users[2]: missing \"username\""});
}

TEST_CASE("a syntax error gives line and column, not the text near it", "[json_format]") {
  const auto raw = read_json_entries(
      "{\"users\": [\n  {\"username\": \"a\", \"password\": "
      "\"hunter2\n\"}]}",
      "users.json");

  REQUIRE(raw.problems.size() == 1);
  const auto line = raw.problems[0].to_string();
  CHECK(line ==
        "users.json: invalid JSON at line 3, column 0: syntax error while parsing value - "
        "invalid string: control character U+000A (LF) must be escaped to \\u000A or \\n");
  CHECK(line.find("hunter2") == std::string::npos);
}

TEST_CASE("a syntax error keeps nlohmann's expectation", "[json_format]") {
  const auto raw = read_json_entries("{\"users\" []}", "users.json");

  REQUIRE(raw.problems.size() == 1);
  CHECK(raw.problems[0].to_string() ==
        "users.json: invalid JSON at line 1, column 10: syntax error while parsing object "
        "separator - unexpected '['; expected ':'");
}
