// Splits JavaScript into tokens and pairs brackets, for the config.js patcher.
#include "render/js_tokens.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include <fmt/format.h>

namespace meetgate::render {
namespace {

// Raised inside the lexer; becomes JsSource::error.
struct LexError {
  std::size_t offset;
  std::string what;
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Bytes of UTF-8 sequences count as name characters: config.js never puts Unicode
// spaces between tokens, and names may be Unicode.
bool is_name_start(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c == '\\' ||
         byte >= 0x80;
}

bool is_name_part(char c) {
  return is_name_start(c) || is_digit(c);
}

bool is_line_break(char c) {
  return c == '\n' || c == '\r';
}

// After these words an expression starts, so a '/' opens a regular expression.
bool is_keyword_before_expression(std::string_view word) {
  static constexpr std::array<std::string_view, 15> kWords = {
      "return", "typeof", "instanceof", "in",   "of",    "new",   "delete", "void",
      "throw",  "case",   "do",         "else", "yield", "await", "extends"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<JsToken> run() {
    std::vector<JsToken> tokens;
    skip_hashbang();
    while (auto token = next())
      tokens.push_back(*token);
    return tokens;
  }

 private:
  // The next token after blanks, or nothing at the end of the text.
  std::optional<JsToken> next() {
    skip_blanks();
    if (pos_ >= text_.size())
      return std::nullopt;

    const std::size_t begin = pos_;
    const JsTokenKind kind = scan_token();
    JsToken token{kind, begin, pos_};
    if (!token.is_comment())
      previous_ = token;
    return token;
  }

  JsTokenKind scan_token() {
    const char c = text_[pos_];
    const char after = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (c == '/' && after == '/') {
      while (pos_ < text_.size() && !is_line_break(text_[pos_]) && !at_line_separator())
        ++pos_;
      return JsTokenKind::kLineComment;
    }
    if (c == '/' && after == '*')
      return block_comment();
    if (c == '\'' || c == '"')
      return string_literal(c);
    if (c == '`')
      return template_literal();
    if (c == '/' && regex_allowed())
      return regex_literal();
    if (is_digit(c) || (c == '.' && is_digit(after)))
      return number();
    if (is_name_start(c)) {
      while (pos_ < text_.size() && is_name_part(text_[pos_]))
        pos_ += text_[pos_] == '\\' ? 2 : 1;
      pos_ = std::min(pos_, text_.size());
      return JsTokenKind::kIdentifier;
    }
    ++pos_;
    return JsTokenKind::kPunct;
  }

  JsTokenKind block_comment() {
    const std::size_t close = text_.find("*/", pos_ + 2);
    if (close == std::string_view::npos)
      throw LexError{pos_, "comment is not closed: add */"};
    pos_ = close + 2;
    return JsTokenKind::kBlockComment;
  }

  JsTokenKind string_literal(char quote) {
    const std::size_t begin = pos_++;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (is_line_break(text_[pos_]))
        break;
      // A backslash escapes the next character; before CRLF, both bytes (the string
      // goes on on the next line).
      if (text_[pos_] != '\\')
        pos_ += 1;
      else if (text_.substr(pos_ + 1, 2) == "\r\n")
        pos_ += 3;
      else
        pos_ += 2;
    }
    if (pos_ >= text_.size() || text_[pos_] != quote)
      throw LexError{begin, fmt::format("string is not closed: add {} at its end", quote)};
    ++pos_;
    return JsTokenKind::kString;
  }

  // The whole literal is one token; code inside ${...} is lexed only to find the
  // brace that ends it.
  JsTokenKind template_literal() {
    const std::size_t begin = pos_++;
    while (pos_ < text_.size() && text_[pos_] != '`') {
      if (text_[pos_] == '$' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
        pos_ += 2;
        skip_substitution(begin);
      } else {
        pos_ += text_[pos_] == '\\' ? 2 : 1;
      }
    }
    if (pos_ >= text_.size())
      throw LexError{begin, "template literal is not closed: add ` at its end"};
    ++pos_;
    return JsTokenKind::kTemplate;
  }

  void skip_substitution(std::size_t template_begin) {
    const auto outer_previous = previous_;
    previous_.reset();
    int depth = 0;
    while (true) {
      const auto token = next();
      if (!token)
        throw LexError{template_begin, "template literal is not closed: add ` at its end"};
      if (token->kind != JsTokenKind::kPunct)
        continue;
      const char c = text_[token->begin];
      if (c == '{')
        ++depth;
      else if (c == '}' && depth-- == 0)
        break;
    }
    previous_ = outer_previous;
  }

  // A '/' starts a regular expression where an expression may start, and divides
  // after something that ends one.
  bool regex_allowed() const {
    if (!previous_)
      return true;
    const auto word = text_.substr(previous_->begin, previous_->end - previous_->begin);
    switch (previous_->kind) {
      case JsTokenKind::kIdentifier:
        return is_keyword_before_expression(word);
      case JsTokenKind::kPunct:
        return word != ")" && word != "]" && word != "}";
      default:
        return false;
    }
  }

  JsTokenKind regex_literal() {
    const std::size_t begin = pos_++;
    bool in_class = false;
    while (pos_ < text_.size() && !is_line_break(text_[pos_])) {
      const char c = text_[pos_];
      if (c == '/' && !in_class)
        break;
      if (c == '[')
        in_class = true;
      else if (c == ']')
        in_class = false;
      pos_ += c == '\\' ? 2 : 1;
    }
    if (pos_ >= text_.size() || text_[pos_] != '/')
      throw LexError{begin, "regular expression is not closed: add / at its end"};
    ++pos_;
    while (pos_ < text_.size() && is_name_part(text_[pos_]))
      ++pos_;
    return JsTokenKind::kRegex;
  }

  // Loose on purpose: digits, letters (hex, exponent, suffix), separators, dots and an
  // exponent's sign. The patcher never reads numbers; it only steps over them.
  JsTokenKind number() {
    const bool hex_like = text_[pos_] == '0' && pos_ + 1 < text_.size() &&
                          (text_[pos_ + 1] == 'x' || text_[pos_ + 1] == 'X');
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      const char before = text_[pos_ - 1];
      const bool sign = (c == '+' || c == '-') && !hex_like && (before == 'e' || before == 'E');
      if (!is_name_part(c) && c != '.' && !sign)
        break;
      ++pos_;
    }
    return JsTokenKind::kNumber;
  }

  void skip_blanks() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        ++pos_;
      } else if (text_.substr(pos_, 3) == "\xEF\xBB\xBF" || at_line_separator()) {
        pos_ += 3;  // a byte order mark, U+2028 or U+2029: 3 bytes of UTF-8 each
      } else if (text_.substr(pos_, 2) == "\xC2\xA0") {  // a no-break space
        pos_ += 2;
      } else {
        break;
      }
    }
  }

  // U+2028 and U+2029 end a line for JavaScript (and so a // comment) like \n does.
  bool at_line_separator() const {
    const auto three = text_.substr(pos_, 3);
    return three == "\xE2\x80\xA8" || three == "\xE2\x80\xA9";
  }

  void skip_hashbang() {
    if (text_.starts_with("#!"))
      while (pos_ < text_.size() && !is_line_break(text_[pos_]))
        ++pos_;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::optional<JsToken> previous_;  // the last token that is not a comment
};

char closer_of(char opener) {
  return opener == '(' ? ')' : opener == '[' ? ']' : '}';
}

// Sets JsToken::match on every bracket; returns the error when they do not pair.
std::string pair_brackets(JsSource& source) {
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < source.tokens.size(); ++i) {
    if (source.tokens[i].kind != JsTokenKind::kPunct)
      continue;
    const char c = source.text[source.tokens[i].begin];
    if (c == '(' || c == '[' || c == '{') {
      open.push_back(i);
      continue;
    }
    if (c != ')' && c != ']' && c != '}')
      continue;

    const std::size_t line = js_line_of(source.text, source.tokens[i].begin);
    if (open.empty())
      return fmt::format("line {}: '{}' closes nothing: remove it or add its opening", line, c);
    const std::size_t opener = open.back();
    const char opener_char = source.text[source.tokens[opener].begin];
    if (closer_of(opener_char) != c) {
      return fmt::format("line {}: '{}' does not match the '{}' opened on line {}", line, c,
                         opener_char, js_line_of(source.text, source.tokens[opener].begin));
    }
    open.pop_back();
    source.tokens[i].match = opener;
    source.tokens[opener].match = i;
  }
  if (open.empty())
    return "";
  const auto& unclosed = source.tokens[open.back()];
  return fmt::format("line {}: '{}' is never closed: add its '{}'",
                     js_line_of(source.text, unclosed.begin), source.text[unclosed.begin],
                     closer_of(source.text[unclosed.begin]));
}

}  // namespace

JsSource tokenize_js(std::string_view text) {
  JsSource source{text, {}, ""};
  try {
    source.tokens = Lexer(text).run();
  } catch (const LexError& error) {
    source.error = fmt::format("line {}: {}", js_line_of(text, error.offset), error.what);
    return source;
  }

  source.error = pair_brackets(source);
  if (!source.ok())
    source.tokens.clear();
  return source;
}

std::size_t js_line_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

}  // namespace meetgate::render
