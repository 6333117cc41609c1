// Reading HOCON for patching: a tokenizer and recursive descent over objects, arrays
// and values, recording where each field's key and value sit in the text.
#include "render/hocon_document.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace meetgate::render {
namespace {

// Characters Typesafe Config refuses outside quotes ("Reserved character ... is not
// allowed outside quotes") or that end unquoted text.
constexpr std::string_view kNotUnquoted = "$\"{}[]:=,+#`^?!@*&\\";
constexpr std::string_view kReserved = "`^?!@*&\\";

void append_utf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xc0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xe0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Errors quote no text of the file beyond one structural character: a line that is
// not what it should be may hold a password.
class HoconParser {
 public:
  explicit HoconParser(std::string_view text) : text_(text) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n')
        line_starts_.push_back(i + 1);
    }
  }

  HoconDocument parse() {
    doc_.objects.emplace_back();
    skip_blank(true);
    if (peek() == '[') {
      fail(pos_, "the file is an array: jicofo.conf must be an object");
    } else if (peek() == '{') {
      doc_.objects[0].open = pos_++;
      if (parse_object_body(0, true)) {
        skip_blank(true);
        if (!at_end())
          fail(pos_, "text after the closing '}' of the root object");
      }
    } else {
      parse_object_body(0, false);
    }
    return std::move(doc_);
  }

 private:
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool at_end() const { return pos_ >= text_.size(); }

  int line_at(size_t offset) const {
    auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    return static_cast<int>(after - line_starts_.begin());
  }

  bool fail(size_t offset, const std::string& what) {
    if (doc_.error.empty())
      doc_.error = fmt::format("line {}: {}", line_at(offset), what);
    return false;
  }

  // Bytes of the whitespace (other than a newline) at `offset`: ASCII blanks, and the
  // no-break space and byte order mark Typesafe Config also skips.
  size_t space_at(size_t offset) const {
    if (offset >= text_.size())
      return 0;
    const char c = text_[offset];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
      return 1;
    const auto rest = text_.substr(offset);
    if (rest.starts_with("\xc2\xa0"))
      return 2;
    if (rest.starts_with("\xef\xbb\xbf"))
      return 3;
    return 0;
  }

  bool at_comment() const { return peek() == '#' || (peek() == '/' && peek(1) == '/'); }

  void skip_spaces() {
    while (size_t n = space_at(pos_))
      pos_ += n;
  }

  // Whitespace and comments, and newlines too when asked.
  void skip_blank(bool newlines) {
    for (;;) {
      skip_spaces();
      if (at_comment()) {
        while (!at_end() && peek() != '\n')
          ++pos_;
      } else if (newlines && peek() == '\n') {
        ++pos_;
      } else {
        return;
      }
    }
  }

  bool ends_value() const {
    const char c = peek();
    return at_end() || c == '\n' || c == ',' || c == '}' || c == ']' || at_comment();
  }

  bool is_unquoted_char(size_t offset) const {
    if (offset >= text_.size() || space_at(offset) || text_[offset] == '\n')
      return false;
    if (text_.substr(offset).starts_with("//"))
      return false;
    return kNotUnquoted.find(text_[offset]) == std::string_view::npos;
  }

  bool parse_object_body(int object, bool braced) {
    const size_t open = doc_.objects[object].open;
    for (;;) {
      skip_blank(true);
      if (at_end()) {
        if (braced)
          return fail(open, "'{' is never closed");
        return true;
      }
      if (peek() == '}') {
        if (!braced)
          return fail(pos_, "'}' has no matching '{'");
        doc_.objects[object].close = pos_++;
        return true;
      }
      if (peek() == ',')
        return fail(pos_, "unexpected ','");
      if (peek() == ']')
        return fail(pos_, "']' has no matching '['");

      const bool include = at_include();
      if (include ? !parse_include() : !parse_field(object))
        return false;

      // One optional comma after a field, on its line or after newlines.
      const size_t after = pos_;
      skip_blank(true);
      if (peek() == ',') {
        if (!include)
          doc_.objects[object].fields.back().comma = pos_;
        ++pos_;
      } else {
        pos_ = after;
      }
    }
  }

  bool at_include() const {
    return text_.substr(pos_).starts_with("include") && space_at(pos_ + 7) > 0;
  }

  // `include "x"`, `include file("x")`, `include required(file("x"))`...: skipped.
  bool parse_include() {
    const size_t start = pos_;
    pos_ += 7;
    bool named = false;
    for (;;) {
      skip_spaces();
      const char c = peek();
      if (c == '"') {
        std::string ignored;
        if (!parse_quoted(ignored))
          return false;
        named = true;
      } else if (c == '(' || c == ')' || (c >= 'a' && c <= 'z')) {
        ++pos_;
      } else {
        break;
      }
    }
    if (!named)
      return fail(start, "include without a quoted file name");
    return true;
  }

  bool parse_field(int object) {
    HoconField field;
    field.begin = pos_;
    field.line = line_at(pos_);
    if (!parse_key(field))
      return false;

    if (peek() == ':' || peek() == '=') {
      field.separator = std::string(1, peek());
      ++pos_;
    } else if (peek() == '+' && peek(1) == '=') {
      field.separator = "+=";
      pos_ += 2;
    }
    if (!field.separator.empty())
      skip_blank(true);
    else if (peek() != '{')
      return fail(pos_, "expected ':', '=' or '{' after a key");

    field.value_begin = pos_;
    if (!parse_value(field))
      return false;
    doc_.objects[object].fields.push_back(std::move(field));
    return true;
  }

  // A path: unquoted text split at '.', quoted strings kept whole, inner blanks kept.
  bool parse_key(HoconField& field) {
    std::string element;
    bool any = false;
    for (;;) {
      const size_t start = pos_;
      skip_spaces();
      const auto blanks = any ? text_.substr(start, pos_ - start) : std::string_view();
      if (peek() == '"') {
        std::string quoted;
        if (!parse_quoted(quoted))
          return false;
        element += blanks;
        element += quoted;
      } else if (is_unquoted_char(pos_)) {
        element += blanks;
        for (; is_unquoted_char(pos_); ++pos_) {
          if (text_[pos_] != '.') {
            element += text_[pos_];
          } else if (element.empty()) {
            return fail(pos_, "a key with an empty path element ('..' or a leading '.')");
          } else {
            field.key.push_back(std::move(element));
            element.clear();
          }
        }
      } else {
        break;
      }
      any = true;
    }
    if (!any)
      return fail(pos_, fmt::format("expected a key, found '{}'", peek()));
    if (element.empty())
      return fail(pos_, "a key ending in '.'");
    field.key.push_back(std::move(element));
    return true;
  }

  // A value up to the end of its line, a ',' or the closing bracket of what holds it.
  bool parse_value(HoconField& field) {
    int parts = 0;
    bool text_only = true;
    int object = -1;
    std::string text, blanks;
    for (;;) {
      const size_t start = pos_;
      skip_spaces();
      blanks = std::string(text_.substr(start, pos_ - start));
      if (ends_value())
        break;
      if (parts > 0)
        text += blanks;

      const char c = peek();
      if (c == '"') {
        std::string quoted;
        if (!parse_quoted(quoted))
          return false;
        text += quoted;
      } else if (c == '{') {
        object = static_cast<int>(doc_.objects.size());
        doc_.objects.emplace_back();
        doc_.objects[object].open = pos_++;
        if (!parse_object_body(object, true))
          return false;
        text_only = false;
      } else if (c == '[') {
        if (!parse_array())
          return false;
        text_only = false;
      } else if (c == '$') {
        if (!parse_substitution())
          return false;
        text_only = false;
      } else if (is_unquoted_char(pos_)) {
        while (is_unquoted_char(pos_))
          text += text_[pos_++];
      } else if (kReserved.find(c) != std::string_view::npos) {
        return fail(pos_,
                    fmt::format("reserved character '{}' outside quotes: quote the value", c));
      } else {
        return fail(pos_, fmt::format("unexpected '{}' in a value: quote the value", c));
      }
      ++parts;
      field.end = pos_;
    }
    if (parts == 0)
      return fail(field.begin, "a key without a value");

    if (parts == 1 && object >= 0) {
      field.kind = HoconValueKind::kObject;
      field.object = object;
    } else if (text_only) {
      field.kind = HoconValueKind::kText;
      field.text = std::move(text);
    }
    return true;
  }

  bool parse_array() {
    const size_t open = pos_++;
    for (;;) {
      skip_blank(true);
      if (at_end())
        return fail(open, "'[' is never closed");
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      if (peek() == ',' || peek() == '}')
        return fail(pos_, fmt::format("unexpected '{}' in an array", peek()));

      HoconField element;
      element.key = {"[]"};
      if (!parse_value(element))
        return false;
      skip_blank(true);
      if (peek() == ',')
        ++pos_;
    }
  }

  bool parse_substitution() {
    const size_t start = pos_;
    if (peek(1) != '{')
      return fail(pos_, "'$' outside quotes that does not start a ${substitution}");
    pos_ += 2;
    while (!at_end() && peek() != '}' && peek() != '\n') {
      if (peek() == '"') {
        std::string ignored;
        if (!parse_quoted(ignored))
          return false;
      } else {
        ++pos_;
      }
    }
    if (peek() != '}')
      return fail(start, "'${' is never closed");
    ++pos_;
    return true;
  }

  bool parse_quoted(std::string& out) {
    const size_t start = pos_;
    if (text_.substr(pos_).starts_with("\"\"\""))
      return parse_triple_quoted(out);

    ++pos_;
    for (;;) {
      if (at_end())
        return fail(start, "a quoted string is never closed");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return fail(pos_,
                    "a control character or line break inside a quoted string: "
                    "escape it, or use a \"\"\" string");
      if (c != '\\') {
        out += c;
        ++pos_;
      } else if (!parse_escape(out)) {
        return false;
      }
    }
  }

  // Ends at the last quote of the first run of three or more: extra quotes before
  // the final three belong to the string.
  bool parse_triple_quoted(std::string& out) {
    const size_t start = pos_;
    size_t close = text_.find("\"\"\"", pos_ + 3);
    if (close == std::string_view::npos)
      return fail(start, "a \"\"\" string is never closed");
    while (close + 3 < text_.size() && text_[close + 3] == '"')
      ++close;
    out += text_.substr(start + 3, close - start - 3);
    pos_ = close + 3;
    return true;
  }

  bool parse_escape(std::string& out) {
    const char c = peek(1);
    const std::string_view simple = "\"\\/bfnrt";
    const std::string_view meaning = "\"\\/\b\f\n\r\t";
    if (const auto at = simple.find(c); at != std::string_view::npos && c != '\0') {
      out += meaning[at];
      pos_ += 2;
      return true;
    }
    if (c != 'u')
      return fail(pos_, fmt::format("unknown escape '\\{}' in a quoted string", c));

    char32_t unit = 0;
    for (size_t i = 2; i < 6; ++i) {
      const int digit = hex_value(peek(i));
      if (digit < 0)
        return fail(pos_, "a \\u escape needs four hex digits");
      unit = unit * 16 + static_cast<char32_t>(digit);
    }
    pos_ += 6;
    // A UTF-16 surrogate pair written as two escapes is one character.
    if (unit >= 0xd800 && unit < 0xdc00 && peek() == '\\' && peek(1) == 'u') {
      char32_t low = 0;
      bool digits = true;
      for (size_t i = 2; i < 6 && digits; ++i) {
        const int digit = hex_value(peek(i));
        digits = digit >= 0;
        low = low * 16 + static_cast<char32_t>(std::max(digit, 0));
      }
      if (digits && low >= 0xdc00 && low < 0xe000) {
        unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
        pos_ += 6;
      }
    }
    append_utf8(out, unit);
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::vector<size_t> line_starts_;
  HoconDocument doc_;
};

}  // namespace

HoconDocument parse_hocon(std::string_view text) {
  return HoconParser(text).parse();
}

std::string hocon_quoted(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\u{:04x}", byte);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace meetgate::render
