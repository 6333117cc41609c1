// The JavaScript tokenizer under the config.js patcher: what is structure and what is not.
#include "render/js_tokens.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using meetgate::render::JsTokenKind;
using meetgate::render::tokenize_js;

namespace {

std::vector<JsTokenKind> kinds(const std::string& text) {
  const auto source = tokenize_js(text);
  INFO(source.error);
  REQUIRE(source.ok());
  std::vector<JsTokenKind> out;
  for (const auto& token : source.tokens)
    out.push_back(token.kind);
  return out;
}

int count(const std::vector<JsTokenKind>& all, JsTokenKind kind) {
  return static_cast<int>(std::count(all.begin(), all.end(), kind));
}

}  // namespace

TEST_CASE("js tokens: braces in strings, comments, templates and regexes are not structure") {
  const auto all =
      kinds("x = { a: '}', b: \"{\", /* } */ c: `}${ {d: '`'}.d }{`, e: /[}/]\\}/g }; // {\n");

  CHECK(count(all, JsTokenKind::kString) == 2);  // the one in ${...} is the template's
  CHECK(count(all, JsTokenKind::kTemplate) == 1);
  CHECK(count(all, JsTokenKind::kRegex) == 1);
  CHECK(count(all, JsTokenKind::kBlockComment) == 1);
  CHECK(count(all, JsTokenKind::kLineComment) == 1);
}

TEST_CASE("js tokens: a slash after a value divides, after an operator starts a regex") {
  CHECK(count(kinds("a = b / c / d; e = (f) / 2 / g[0] / 1;"), JsTokenKind::kRegex) == 0);
  CHECK(count(kinds("a = /x/; f(/y/, [/z/]); return /w/i;"), JsTokenKind::kRegex) == 4);
}

TEST_CASE("js tokens: brackets are paired") {
  const auto source = tokenize_js("f({a: [1, (2)]});");

  REQUIRE(source.ok());
  CHECK(source.tokens[1].match == source.tokens.size() - 2);  // ( and its )
  CHECK(source.tokens[2].match == source.tokens.size() - 3);  // { and its }
}

TEST_CASE("js tokens: a string may go on past an escaped line break, CRLF too") {
  CHECK(count(kinds("a = 'one \\\r\ntwo'; b = \"x\\\ny\";"), JsTokenKind::kString) == 2);
}

TEST_CASE("js tokens: what is left open is an error that names its line") {
  CHECK(tokenize_js("a = 1;\nb = `open ${x}").error ==
        "line 2: template literal is not closed: add ` at its end");
  CHECK(tokenize_js("a = `${ {`").error ==
        "line 1: template literal is not closed: add ` at its end");
  CHECK(tokenize_js("\n\na = /open\n/").error ==
        "line 3: regular expression is not closed: add / at its end");
  CHECK(tokenize_js("a = \"open\\\"").error == "line 1: string is not closed: add \" at its end");
  CHECK(tokenize_js("f(]").error == "line 1: ']' does not match the '(' opened on line 1");
}

TEST_CASE("js tokens: line numbers count from one") {
  CHECK(meetgate::render::js_line_of("a\nb\r\nc", 0) == 1);
  CHECK(meetgate::render::js_line_of("a\nb\r\nc", 2) == 2);
  CHECK(meetgate::render::js_line_of("a\nb\r\nc", 5) == 3);
}
