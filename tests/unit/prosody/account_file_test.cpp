// Tests for the account record parser: real prosodyctl output, Prosody 13's shape,
// Lua's literal syntax, and hostile or broken input.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "prosody/account_file.hpp"

using meetgate::prosody::AccountRecord;
using meetgate::prosody::parse_account_file;

namespace {

std::string read_data(const std::string& relative) {
  std::ifstream in(std::filesystem::path(MEETGATE_TEST_DATA) / "prosody" / relative,
                   std::ios::binary);
  REQUIRE(in);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

AccountRecord parse_ok(std::string_view content) {
  auto parse = parse_account_file(content);
  INFO(parse.error);
  REQUIRE(parse.record);
  CHECK(parse.error.empty());
  return *parse.record;
}

std::string parse_error(std::string_view content) {
  auto parse = parse_account_file(content);
  CHECK_FALSE(parse.record);
  return parse.error;
}

}  // namespace

TEST_CASE("parses a record written by prosodyctl register") {
  std::string content = read_data("data/meet%2eexample/accounts/alice.dat");

  AccountRecord record = parse_ok(content);

  CHECK(record.stored_key == "694b82f03a4ba10e11003beb0cc5763bb4dc3094");
  CHECK(record.server_key == "b2d6ddc635ac9792f2a8f034c831e17bdfa2ce92");
  CHECK(record.salt == "4ebf82ff-d2ee-4e4e-bed3-92ee4c1488a7");
  CHECK(record.iteration_count == 10000);
  CHECK_FALSE(record.password);
  CHECK_FALSE(record.disabled);
}

TEST_CASE("parses prosody 13's record with created, updated and disabled_meta") {
  std::string content = read_data("handmade/prosody13_disabled.dat");

  AccountRecord record = parse_ok(content);

  CHECK(record.stored_key == "694b82f03a4ba10e11003beb0cc5763bb4dc3094");
  CHECK(record.salt == "4ebf82ff-d2ee-4e4e-bed3-92ee4c1488a7");
  CHECK(record.iteration_count == 10000);
  CHECK(record.disabled);
}

TEST_CASE("an account is disabled by any value lua takes as true") {
  CHECK_FALSE(parse_ok("return { created = 1735689600; updated = 1735689601 };").disabled);
  CHECK_FALSE(parse_ok("return { disabled = false };").disabled);
  CHECK(parse_ok("return { disabled = 0 };").disabled);
  CHECK_FALSE(parse_ok("return { disabled = true, disabled = nil };").disabled);
}

TEST_CASE("parses an old plain-text record with serializer escapes") {
  std::string content = read_data("handmade/plain_password.dat");

  AccountRecord record = parse_ok(content);

  REQUIRE(record.password);
  CHECK(*record.password == "old pässwörd \"q\" \\ end");
  CHECK(record.stored_key.empty());
}

TEST_CASE("accepts bare keys, commas, single quotes and comments") {
  std::string content =
      "-- hand edited\nreturn {\n  salt = 's', -- uuid\n  iteration_count = 4096,\n}\n";

  AccountRecord record = parse_ok(content);

  CHECK(record.salt == "s");
  CHECK(record.iteration_count == 4096);
}

TEST_CASE("decodes every lua short-string escape") {
  std::string content =
      "return { salt = \"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'|\\65\\0657\\x4A\\x4b|\\u{e4}\\u{1F600}|"
      "a\\z  \n\t b|c\\\nd\" };";

  AccountRecord record = parse_ok(content);

  CHECK(record.salt == std::string("\a\b\f\n\r\t\v\\\"'|AA7JK|\xc3\xa4\xf0\x9f\x98\x80|ab|c\nd"));
}

TEST_CASE("reads lua numerals") {
  CHECK(parse_ok("return { iteration_count = 0x2710 };").iteration_count == 10000);
  CHECK(parse_ok("return { iteration_count = 1e4 };").iteration_count == 10000);
  CHECK(parse_ok("return { iteration_count = 10000.0 };").iteration_count == 10000);
  CHECK(parse_ok("return { iteration_count = -5 };").iteration_count == -5);
  CHECK(parse_ok("return { iteration_count = 0xffffffffffffffff };").iteration_count == -1);
}

TEST_CASE("ignores unknown keys of any kind, and the last duplicate wins") {
  std::string content =
      "return {\n\t[\"x\"] = (1/0);\n\t[1] = true;\n\t\"positional\";\n\t[-2.5] = {};\n"
      "\t[\"salt\"] = \"first\";\n\t[\"salt\"] = \"second\";\n\tpassword = nil;\n};\n";

  AccountRecord record = parse_ok(content);

  CHECK(record.salt == "second");
  CHECK_FALSE(record.password);
}

TEST_CASE("counts lines the way lua does, crlf included") {
  CHECK(parse_error("return {\r\n\tsalt = 5;\r\n}") == "line 2: salt must be a string");
  CHECK(parse_error("return {\n\n\tsalt = 5;\n}") == "line 3: salt must be a string");
}

TEST_CASE("reports where a record is broken") {
  CHECK(parse_error("") == "line 1: the file is empty");
  CHECK(parse_error("{}") == "line 1: expected 'return' at the start");
  CHECK(parse_error("return\n[]") == "line 2: expected '{' after 'return'");
  CHECK(parse_error("return {\n\t[\"salt\"] \"x\";\n};") == "line 2: expected '=' after key");
  CHECK(parse_error("return {\n\tsalt \"x\";\n};") == "line 2: expected '=' after key");
  CHECK(parse_error("return { [\"salt\" = 1 }") == "line 1: expected ']' after key");
  CHECK(parse_error("return { a = 1 b = 2 }") == "line 1: expected ';' or '}' after a field");
  CHECK(parse_error("return {};\nx") == "line 2: unexpected text after the table");
  CHECK(parse_error("return {\n\t[\"salt\"] = ") == "line 2: unexpected end of input");
  CHECK(parse_error("return { x = end }") == "line 1: expected a value");
  CHECK(parse_error("return { [nil] = 1 }") == "line 1: unsupported table key");
}

TEST_CASE("reports broken strings and numbers") {
  CHECK(parse_error("return {\n\tsalt = \"abc\n\"}") == "line 2: unfinished string");
  CHECK(parse_error("return { salt = \"a\\q\" }") == "line 1: invalid escape sequence in string");
  CHECK(parse_error("return { salt = \"\\256\" }") == "line 1: decimal escape too large in string");
  CHECK(parse_error("return { salt = \"\\x4\" }") ==
        "line 1: invalid hexadecimal escape in string");
  CHECK(parse_error("return { salt = \"\\u{80000000}\" }") ==
        "line 1: utf-8 value too large in string escape");
  CHECK(parse_error("return { salt = [[long]] }") ==
        "line 1: long strings and comments are not supported");
  CHECK(parse_error("return { iteration_count = 12abc }") == "line 1: malformed number");
  CHECK(parse_error("return { iteration_count = 1.5 }") ==
        "line 1: iteration_count must be an integer");
}

TEST_CASE("nested tables are skipped only when balanced") {
  CHECK(parse_ok("return { meta = { [1] = { \"}\" }, x = -1 }, salt = 's' };").salt == "s");
  CHECK(parse_error("return { meta = { [1 } }") == "line 1: unbalanced brackets in a table");
  CHECK(parse_error("return { meta = {\n{ }") == "line 2: unfinished table");
  CHECK(parse_error("return { meta = { @ } }") == "line 1: unexpected character in a table");
}

TEST_CASE("deep nesting is an error, not a stack overflow") {
  std::string content = "return { x = " + std::string(100000, '{');

  CHECK(parse_error(content) == "line 1: tables nested too deeply");
}

TEST_CASE("errors never quote the record's text") {
  CHECK(parse_error("return { password = hunter2; }") == "line 1: expected a value");
  CHECK(parse_error("return { password = \"hunter2") == "line 1: unfinished string");
  CHECK(parse_error("return { [\"hunter2\"] hunter2 }") == "line 1: expected '=' after key");
}

TEST_CASE("survives every truncation and random corruption of a record") {
  std::string content = read_data("handmade/prosody13_disabled.dat");
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> byte(0, 255);

  // Every cut before the closing brace leaves an incomplete table.
  for (size_t size = 0; size <= content.rfind('}'); ++size) {
    CHECK_FALSE(parse_account_file(content.substr(0, size)).record);
  }
  for (int round = 0; round < 5000; ++round) {
    std::string mutated = content;
    for (int flips = 1 + round % 4; flips > 0; --flips) {
      mutated[random() % mutated.size()] = static_cast<char>(byte(random));
    }
    auto parse = parse_account_file(mutated);
    CHECK(parse.record.has_value() == parse.error.empty());
  }
}
