#include "render/marked_block.hpp"

#include <catch2/catch.hpp>

using meetgate::render::replace_marked_block;

namespace {
const std::string kBegin = "// BEGIN meetgate: generated, edits here are lost\n";
const std::string kEnd = "// END meetgate\n";
}  // namespace

TEST_CASE("a block is appended to a file without one, then replaced in place") {
  const std::string mine = "// the operator's line\nconfig.x = 1;";

  const auto first = replace_marked_block(mine, "config.a = 1;\n", "//");
  REQUIRE(first.ok());
  CHECK(first.text == mine + "\n" + kBegin + "config.a = 1;\n" + kEnd);

  const auto second = replace_marked_block(first.text + "// after\n", "config.a = 2;\n", "//");
  REQUIRE(second.ok());
  CHECK(second.text == mine + "\n" + kBegin + "config.a = 2;\n" + kEnd + "// after\n");
}

TEST_CASE("the same body twice changes nothing") {
  const auto first = replace_marked_block("", "a = 1\n", "#");
  const auto second = replace_marked_block(first.text, "a = 1\n", "#");

  CHECK(second.text == first.text);
}

TEST_CASE("an empty body removes the block and nothing else") {
  const std::string text = "keep\n" + kBegin + "x\n" + kEnd + "also keep\n";

  CHECK(replace_marked_block(text, "", "//").text == "keep\nalso keep\n");
  CHECK(replace_marked_block("keep\n", "", "//").text == "keep\n");
}

TEST_CASE("a CRLF file gets CRLF block lines") {
  const auto result = replace_marked_block("a\r\n", "b\n", "#");

  CHECK(result.text ==
        "a\r\n# BEGIN meetgate: generated, edits here are lost\r\nb\r\n# END meetgate\r\n");
}

TEST_CASE("a broken or doubled block is an error that says where") {
  const auto unclosed = replace_marked_block("x\n" + kBegin + "y\n", "z\n", "//");
  CHECK_FALSE(unclosed.ok());
  CHECK(unclosed.error.find("line 2") == 0);

  const auto doubled = replace_marked_block(kBegin + kEnd + kBegin + kEnd, "z\n", "//");
  CHECK_FALSE(doubled.ok());
  CHECK(doubled.error.find("line 3: a second meetgate block") == 0);
}
