// A small Lua lexer: enough to find sections and assignments in a Prosody config.
#include "render/lua_tokens.hpp"

#include <cctype>

#include <fmt/format.h>

namespace meetgate::render {
namespace {

class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source) {}

  LuaLex run() {
    LuaLex lex;
    while (skip_space_and_comments(lex.error) && pos_ < source_.size()) {
      if (!next_token(lex))
        break;
    }
    lex.comments = std::move(comments_);
    if (lex.error.empty() && depth_ != 0)
      lex.error =
          fmt::format("line {}: unbalanced brackets: {} left open at the end", line_, depth_);
    return lex;
  }

 private:
  bool at(std::string_view text) const { return source_.substr(pos_, text.size()) == text; }

  void advance(size_t count) {
    for (size_t i = 0; i < count && pos_ < source_.size(); ++i, ++pos_) {
      if (source_[pos_] == '\n')
        ++line_;
    }
  }

  // A long bracket "[==[" at pos_: its level, or -1 when there is none.
  int long_bracket_level() const {
    if (pos_ >= source_.size() || source_[pos_] != '[')
      return -1;
    size_t i = pos_ + 1;
    while (i < source_.size() && source_[i] == '=')
      ++i;
    if (i < source_.size() && source_[i] == '[')
      return static_cast<int>(i - pos_ - 1);
    return -1;
  }

  bool skip_long_bracket(int level, std::string& error) {
    const int start_line = line_;
    // Appended step by step: g++ 12 at -O3 warns falsely (-Wrestrict) on "]" + string.
    std::string close = "]";
    close.append(static_cast<size_t>(level), '=');
    close += ']';
    const size_t found = source_.find(close, pos_);
    if (found == std::string_view::npos) {
      error = fmt::format("line {}: long string or comment is never closed", start_line);
      return false;
    }
    advance(found + close.size() - pos_);
    return true;
  }

  bool skip_space_and_comments(std::string& error) {
    while (pos_ < source_.size()) {
      if (std::isspace(static_cast<unsigned char>(source_[pos_]))) {
        advance(1);
      } else if (at("--")) {
        const size_t begin = pos_;
        advance(2);
        if (const int level = long_bracket_level(); level >= 0) {
          if (!skip_long_bracket(level, error))
            return false;
        } else {
          while (pos_ < source_.size() && source_[pos_] != '\n')
            advance(1);
        }
        comments_.emplace_back(begin, pos_);
      } else {
        return true;
      }
    }
    return true;
  }

  bool quoted_string(LuaLex& lex, char quote) {
    const size_t begin = pos_;
    const int start_line = line_;
    advance(1);
    while (pos_ < source_.size() && source_[pos_] != quote) {
      if (source_[pos_] == '\n') {
        lex.error = fmt::format("line {}: string is not closed on its line", start_line);
        return false;
      }
      advance(source_[pos_] == '\\' ? 2 : 1);
    }
    if (pos_ >= source_.size()) {
      lex.error = fmt::format("line {}: string is never closed", start_line);
      return false;
    }
    advance(1);
    push(lex, LuaToken::Kind::kString, begin, start_line);
    return true;
  }

  void push(LuaLex& lex, LuaToken::Kind kind, size_t begin, int line) {
    lex.tokens.push_back({kind, begin, pos_, depth_, line});
  }

  bool bracket(LuaLex& lex, char c) {
    const size_t begin = pos_;
    if (c == '{' || c == '(' || c == '[') {
      push_symbol(lex, begin, 1);
      ++depth_;
      return true;
    }
    if (depth_ == 0) {
      lex.error = fmt::format("line {}: '{}' closes nothing (unbalanced brackets)", line_, c);
      return false;
    }
    --depth_;
    push_symbol(lex, begin, 1);
    return true;
  }

  void push_symbol(LuaLex& lex, size_t begin, size_t length) {
    const int line = line_;
    advance(length);
    push(lex, LuaToken::Kind::kSymbol, begin, line);
  }

  bool next_token(LuaLex& lex) {
    const char c = source_[pos_];
    const size_t begin = pos_;
    const int line = line_;
    if (c == '"' || c == '\'')
      return quoted_string(lex, c);
    if (const int level = long_bracket_level(); level >= 0) {
      if (!skip_long_bracket(level, lex.error))
        return false;
      push(lex, LuaToken::Kind::kString, begin, line);
      return true;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (pos_ < source_.size() && is_lua_name_char(source_[pos_]))
        advance(1);
      push(lex, LuaToken::Kind::kName, begin, line);
      return true;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (pos_ < source_.size() &&
             (std::isalnum(static_cast<unsigned char>(source_[pos_])) || source_[pos_] == '.'))
        advance(1);
      push(lex, LuaToken::Kind::kNumber, begin, line);
      return true;
    }
    if (c == '{' || c == '}' || c == '(' || c == ')' || c == '[' || c == ']')
      return bracket(lex, c);
    for (std::string_view two : {"==", "~=", "<=", ">=", ".."}) {
      if (at(two)) {
        push_symbol(lex, begin, at("...") ? 3 : 2);
        return true;
      }
    }
    // Any other byte outside a string or comment (a control character, '@', '$', a
    // UTF-8 letter) is no Lua: Prosody could not load the file, and taking it for a
    // symbol would let a patch go on around it.
    if (std::string_view("+-*/%^#&~|<>=;:,.").find(c) == std::string_view::npos) {
      const auto shown = std::isprint(static_cast<unsigned char>(c))
                             ? fmt::format("'{}'", c)
                             : fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
      lex.error = fmt::format("line {}: {} is not Lua outside a string or comment", line, shown);
      return false;
    }
    push_symbol(lex, begin, 1);
    return true;
  }

  std::string_view source_;
  size_t pos_ = 0;
  int line_ = 1;
  int depth_ = 0;
  std::vector<std::pair<size_t, size_t>> comments_;
};

}  // namespace

LuaLex lex_lua(std::string_view source) {
  return Lexer(source).run();
}

std::string lua_string_value(std::string_view token) {
  if (token.size() < 2 || (token.front() != '"' && token.front() != '\''))
    return std::string(token);
  std::string value;
  for (size_t i = 1; i + 1 < token.size(); ++i) {
    if (token[i] == '\\' && i + 2 < token.size()) {
      const char next = token[++i];
      value += next == 'n' ? '\n' : next == 't' ? '\t' : next;
    } else {
      value += token[i];
    }
  }
  return value;
}

}  // namespace meetgate::render
