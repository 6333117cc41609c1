// A JavaScript tokenizer just deep enough to patch object literals in config.js: it knows
// strings, template literals, comments and regular expressions, so a brace or a comma
// inside one of them is never taken for structure, and it pairs every bracket.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace meetgate::render {

enum class JsTokenKind {
  kIdentifier,  // names and keywords alike
  kNumber,
  kString,    // '...' or "..."
  kTemplate,  // `...`, with its ${...} parts inside the one token
  kRegex,
  kPunct,  // one character; `==` is two tokens
  kLineComment,
  kBlockComment,
};

inline constexpr std::size_t kNoMatch = static_cast<std::size_t>(-1);

struct JsToken {
  JsTokenKind kind;
  std::size_t begin = 0;  // byte offsets into the text
  std::size_t end = 0;
  std::size_t match = kNoMatch;  // for ( [ { ) ] }: the index of the partner bracket

  bool is_comment() const {
    return kind == JsTokenKind::kLineComment || kind == JsTokenKind::kBlockComment;
  }
};

// A text with its tokens. `text` is not owned: it must outlive the tokens.
struct JsSource {
  std::string_view text;
  std::vector<JsToken> tokens;
  std::string error;  // "line 12: ..." when the text could not be read; tokens are then empty

  bool ok() const { return error.empty(); }
  std::string_view text_of(std::size_t index) const {
    return text.substr(tokens[index].begin, tokens[index].end - tokens[index].begin);
  }
  bool is_punct(std::size_t index, char c) const {
    return tokens[index].kind == JsTokenKind::kPunct && text[tokens[index].begin] == c;
  }
};

// Splits `text` into tokens and pairs its brackets. An unclosed string, comment, template
// or bracket, or a bracket closing the wrong kind, is an error naming its line.
JsSource tokenize_js(std::string_view text);

// The 1-based line number of a byte offset.
std::size_t js_line_of(std::string_view text, std::size_t offset);

}  // namespace meetgate::render
