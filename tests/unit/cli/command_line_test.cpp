#include "cli/command_line.hpp"

#include <catch2/catch.hpp>

using namespace meetgate::cli;

namespace {

// parse_command_line with argv built from words, as main() would get them.
std::variant<CommandLine, int> parse(std::vector<std::string> words) {
  words.insert(words.begin(), "meetgate");
  std::vector<char*> argv;
  for (auto& word : words)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  return parse_command_line(static_cast<int>(words.size()), argv.data());
}

std::vector<std::string> program_of(const std::variant<CommandLine, int>& parsed) {
  REQUIRE(std::holds_alternative<CommandLine>(parsed));
  return std::get<CommandLine>(parsed).program;
}

}  // namespace

TEST_CASE("run takes CMD after -- with its own options untouched") {
  auto parsed = parse({"run", "--exec", "--", "prosody", "--exec", "-F", "--", "x"});

  CHECK(program_of(parsed) == std::vector<std::string>{"prosody", "--exec", "-F", "--", "x"});
  CHECK(std::get<CommandLine>(parsed).overrides.at("MEETGATE_EXEC") == "1");
}

TEST_CASE("run takes CMD without -- from its first word on") {
  auto parsed = parse({"run", "--only", "prosody", "sh", "-c", "exit 3"});

  CHECK(program_of(parsed) == std::vector<std::string>{"sh", "-c", "exit 3"});
  CHECK(std::get<CommandLine>(parsed).overrides.at("MEETGATE_RENDER") == "prosody");
}

TEST_CASE("run without CMD is a usage error") {
  CHECK(std::get<int>(parse({"run"})) == 2);
  CHECK(std::get<int>(parse({"run", "--exec", "--"})) == 2);
}

TEST_CASE("only run takes words after --") {
  CHECK(std::get<int>(parse({"check", "--", "x"})) == 2);
}

TEST_CASE("an unknown command is a usage error, not a parse") {
  auto parsed = parse({"wacth", "--users", "/u"});

  REQUIRE(std::holds_alternative<int>(parsed));
  CHECK(std::get<int>(parsed) == 2);
}

TEST_CASE("watch takes the users source and the HTTP address, not --dry-run") {
  auto parsed = parse({"watch", "--users", "/u", "--http-addr", "127.0.0.1:9180"});

  REQUIRE(std::holds_alternative<CommandLine>(parsed));
  const auto& line = std::get<CommandLine>(parsed);
  CHECK(line.command == "watch");
  CHECK(line.overrides.at("MEETGATE_USERS") == "/u");
  CHECK(line.overrides.at("MEETGATE_HTTP_ADDR") == "127.0.0.1:9180");
  CHECK(std::get<int>(parse({"watch", "--dry-run"})) == 2);
}

TEST_CASE("options land in their variables") {
  auto parsed = parse({"sync", "--users", "/u", "--prune", "all", "--dry-run"});

  REQUIRE(std::holds_alternative<CommandLine>(parsed));
  const auto& line = std::get<CommandLine>(parsed);
  CHECK(line.command == "sync");
  CHECK(line.overrides.at("MEETGATE_USERS") == "/u");
  CHECK(line.overrides.at("MEETGATE_PRUNE") == "all");
  CHECK(line.dry_run);
}
