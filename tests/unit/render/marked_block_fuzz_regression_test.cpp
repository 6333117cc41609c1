// Inputs the fuzzer (fuzz/marked_block_fuzz.cpp) found, kept so they stay fixed.
#include <catch2/catch.hpp>

#include "render/marked_block.hpp"

using meetgate::render::replace_marked_block;

namespace {
const std::string kBegin = "# BEGIN meetgate: generated, edits here are lost";
const std::string kEnd = "# END meetgate";
}  // namespace

// A file of one line ended by a lone '\r' read as LF, then the '\n' appended after it
// made its first line CRLF: the next run rewrote the block with CRLF.
TEST_CASE("fuzz: a file of one line ending in a lone CR gets a stable block") {
  const auto first = replace_marked_block("\r", "a = 1\n", "#");
  REQUIRE(first.ok());
  const auto second = replace_marked_block(first.text, "a = 1\n", "#");

  CHECK(first.text == "\r\n" + kBegin + "\r\na = 1\r\n" + kEnd + "\r\n");
  CHECK(second.text == first.text);
}

TEST_CASE("fuzz: an LF file whose last line ends in a lone CR keeps LF") {
  const auto first = replace_marked_block("x\ny\r", "a = 1\n", "#");
  REQUIRE(first.ok());
  const auto second = replace_marked_block(first.text, "a = 1\n", "#");

  CHECK(first.text == "x\ny\r\n" + kBegin + "\na = 1\n" + kEnd + "\n");
  CHECK(second.text == first.text);
}
