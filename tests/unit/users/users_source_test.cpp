// The users source as a whole: duplicates, content hash, missing and bad paths.
#include "users/users_source.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "users_test_support.hpp"

namespace fs = std::filesystem;
using meetgate::users::load_users_source;
using meetgate::users::parse_json_users;
using meetgate::users::parse_text_users;
using meetgate::users::test::jitsi_domains;
using meetgate::users::test::TempDirectory;

namespace {

std::vector<std::string> problem_lines(const meetgate::users::LoadResult& result) {
  std::vector<std::string> lines;
  for (const auto& problem : result.problems)
    lines.push_back(problem.to_string());
  return lines;
}

std::string text_hash(const std::string& content) {
  const auto result = parse_text_users(content, "users.txt", jitsi_domains());
  REQUIRE(result.source);
  return result.source->content_hash;
}

}  // namespace

TEST_CASE("names equal after nodeprep are one duplicate error", "[users_source]") {
  const auto result =
      parse_text_users("Alice:pw1\nbob:pw\nalice:pw2\n", "users.txt", jitsi_domains());

  CHECK_FALSE(result.source);
  CHECK(problem_lines(result) ==
        std::vector<std::string>{"users.txt:3: duplicate of users.txt:1: \"Alice\" and "
                                 "\"alice\" are the same account \"alice\""});
}

TEST_CASE("a name listed twice says so", "[users_source]") {
  const auto result = parse_text_users("bob:a\nbob:b\nbob:c\n", "users.txt", jitsi_domains());

  CHECK(problem_lines(result) ==
        std::vector<std::string>{"users.txt:2: duplicate of users.txt:1: \"bob\" is listed twice",
                                 "users.txt:3: duplicate of users.txt:1: \"bob\" is listed twice"});
}

TEST_CASE("duplicates are per host, and the domain spelling does not matter", "[users_source]") {
  const auto result = parse_text_users("bob:a\nbob@other.jitsi:b\nBOB@Other.Jitsi:c\n", "users.txt",
                                       jitsi_domains());

  CHECK(problem_lines(result) ==
        std::vector<std::string>{"users.txt:3: duplicate of users.txt:2: \"bob@other.jitsi\" "
                                 "and \"BOB@Other.Jitsi\" are the same account "
                                 "\"bob@other.jitsi\""});
}

TEST_CASE("the content hash follows the accounts, not the format", "[users_source]") {
  const auto json = parse_json_users(
      R"({"users": [{"username": "bob", "password": "b"}, {"username": "Alice",
      "password": "a"}]})",
      "users.json", jitsi_domains());

  REQUIRE(json.source);
  CHECK(json.source->content_hash == text_hash("# team\nalice:a\nbob:b\n"));
  CHECK(text_hash("alice:a\nbob:b\n").size() == 64);
  CHECK(text_hash("alice:a\nbob:b\n") != text_hash("alice:a\nbob:c\n"));
  CHECK(text_hash("alice:a\nbob:b\n") != text_hash("alice:a\nbob@other.jitsi:b\n"));
  CHECK(text_hash("ab:c\n") != text_hash("a:bc\n"));
}

TEST_CASE("a missing path is not ready, not an empty source", "[users_source]") {
  const auto result = load_users_source("/nonexistent/users.txt", jitsi_domains());

  CHECK(result.missing);
  CHECK_FALSE(result.source);
  CHECK(problem_lines(result) ==
        std::vector<std::string>{"/nonexistent/users.txt: users source not found"});
}

TEST_CASE("a path under a file is missing too", "[users_source]") {
  TempDirectory dir;
  const auto file = dir.write("file", "x");

  const auto result = load_users_source(file / "users.txt", jitsi_domains());

  CHECK(result.missing);
}

TEST_CASE("an unreadable path gives the OS reason", "[users_source]") {
  const fs::path path = "/tmp/" + std::string(300, 'u');

  const auto result = load_users_source(path, jitsi_domains());

  CHECK_FALSE(result.missing);
  CHECK(problem_lines(result) ==
        std::vector<std::string>{path.string() + ": cannot read users source: file name too long"});
}

TEST_CASE("a users file over 64 MiB is refused", "[users_source]") {
  TempDirectory dir;
  const auto file = dir.write("users.txt", "");
  fs::resize_file(file, (std::size_t{64} << 20) + 1);

  const auto result = load_users_source(file, jitsi_domains());

  CHECK(problem_lines(result) ==
        std::vector<std::string>{file.string() +
                                 ": users source is larger than 64 MiB: is this the right file?"});
}

TEST_CASE("a file wrong on every line shows the first 50 problems and a count", "[users_source]") {
  TempDirectory dir;
  std::string lines;
  for (int i = 0; i < 70; ++i)
    lines += "no colon here\n";
  const auto file = dir.write("users.txt", lines);

  const auto result = load_users_source(file, jitsi_domains());

  REQUIRE(result.problems.size() == 51);
  CHECK(result.problems[49].to_string() ==
        file.string() + ":50: expected username:password but the line has no ':'");
  CHECK(result.problems[50].to_string() ==
        file.string() + ": 20 more problems not shown: is this the right file?");
}

TEST_CASE("the format follows the file name", "[users_source]") {
  TempDirectory dir;
  const auto text = dir.write("users.txt", "alice:pw\n");
  const auto json = dir.write("users.JSON", R"({"users": [{"username": "alice",
                                                           "password": "pw"}]})");

  const auto from_text = load_users_source(text, jitsi_domains());
  const auto from_json = load_users_source(json, jitsi_domains());

  REQUIRE(from_text.source);
  REQUIRE(from_json.source);
  CHECK(from_text.source->users[0].location == text.string() + ":1");
  CHECK(from_json.source->users[0].location == json.string() + ": users[0]");
  CHECK(from_text.source->content_hash == from_json.source->content_hash);
}
