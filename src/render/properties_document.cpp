// Reading .properties the way java.util.Properties' line reader does, keeping the
// offsets of every key and value.
#include "render/properties_document.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/utf8.hpp"

namespace meetgate::render {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\f';
}

bool is_line_break(char c) {
  return c == '\n' || c == '\r';
}

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

// One logical line: its characters (continuations removed) and where each came from.
struct LogicalLine {
  std::string chars;
  std::vector<size_t> offsets;
  size_t content_end = 0;  // after the last byte of its last line with content
};

// Properties' loadConvert: escapes decoded into UTF-8. Java refuses a malformed \u.
bool decode(std::string_view raw, std::string& out, bool& ascii) {
  char16_t high = 0;  // a pending high surrogate
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 >= raw.size()) {
      ascii = ascii && static_cast<unsigned char>(c) < 0x80;
      out += c;
      continue;
    }
    c = raw[++i];
    if (c != 'u') {
      const std::string_view from = "tnrf", to = "\t\n\r\f";
      const auto at = from.find(c);
      out += at == std::string_view::npos ? c : to[at];
      continue;
    }
    char32_t unit = 0;
    for (int digit = 0; digit < 4; ++digit) {
      const int value = i + 1 < raw.size() ? hex_value(raw[++i]) : -1;
      if (value < 0)
        return false;
      unit = unit * 16 + static_cast<char32_t>(value);
    }
    if (unit >= 0xd800 && unit < 0xdc00) {
      high = static_cast<char16_t>(unit);
      continue;
    }
    if (unit >= 0xdc00 && unit < 0xe000 && high != 0)
      unit = 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00);
    high = 0;
    append_utf8(out, unit);
  }
  return true;
}

class PropertiesParser {
 public:
  explicit PropertiesParser(std::string_view text) : text_(text) {}

  PropertiesDocument parse() {
    while (pos_ < text_.size()) {
      const size_t begin = pos_;
      const int line = line_;
      while (pos_ < text_.size() && is_blank(text_[pos_]))
        ++pos_;
      if (pos_ >= text_.size())
        break;
      if (is_line_break(text_[pos_])) {
        skip_line_break();
      } else if (text_[pos_] == '#' || text_[pos_] == '!') {
        read_comment(line);
      } else if (!read_entry(begin, line)) {
        break;
      }
    }
    return std::move(doc_);
  }

 private:
  void skip_line_break() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')
      ++pos_;
    ++pos_;
    ++line_;
  }

  // To the line break, which is consumed; returns where the content ended.
  size_t to_line_end() {
    while (pos_ < text_.size() && !is_line_break(text_[pos_]))
      ++pos_;
    const size_t content_end = pos_;
    if (pos_ < text_.size())
      skip_line_break();
    return content_end;
  }

  void read_comment(int line) {
    size_t start = pos_ + 1;
    while (start < text_.size() && is_blank(text_[start]))
      ++start;
    const size_t content_end = std::max(to_line_end(), start);
    doc_.comments.push_back({std::string(text_.substr(start, content_end - start)), pos_, line});
  }

  // Natural lines joined where one ends in an odd number of backslashes; the next
  // line's leading blanks are dropped, and a blank line ends the logical line.
  LogicalLine read_logical_line(bool& continues_at_end) {
    LogicalLine logical;
    for (;;) {
      const size_t from = pos_;
      while (pos_ < text_.size() && !is_line_break(text_[pos_])) {
        logical.chars += text_[pos_];
        logical.offsets.push_back(pos_++);
      }
      size_t backslashes = 0;
      while (backslashes < pos_ - from && text_[pos_ - 1 - backslashes] == '\\')
        ++backslashes;
      logical.content_end = pos_;
      if (pos_ < text_.size())
        skip_line_break();
      if (backslashes % 2 == 0)
        return logical;

      logical.chars.pop_back();
      logical.offsets.pop_back();
      while (pos_ < text_.size() && is_blank(text_[pos_]))
        ++pos_;
      if (pos_ >= text_.size()) {
        continues_at_end = true;
        return logical;
      }
      if (is_line_break(text_[pos_])) {
        skip_line_break();
        return logical;
      }
    }
  }

  bool read_entry(size_t begin, int line) {
    PropertiesEntry entry;
    entry.begin = begin;
    entry.line = line;
    const LogicalLine logical = read_logical_line(entry.continues_at_end);
    entry.end = pos_;

    // The key ends at the first unescaped '=', ':' or blank.
    const std::string& chars = logical.chars;
    size_t key_end = 0, value_start = chars.size();
    bool separator = false, escaped = false;
    for (; key_end < chars.size(); ++key_end) {
      const char c = chars[key_end];
      if (!escaped && (c == '=' || c == ':' || is_blank(c))) {
        separator = c == '=' || c == ':';
        value_start = key_end + 1;
        break;
      }
      escaped = c == '\\' && !escaped;
    }
    entry.bare_key = key_end == chars.size();
    for (; value_start < chars.size(); ++value_start) {
      const char c = chars[value_start];
      if (!is_blank(c)) {
        if (separator || (c != '=' && c != ':'))
          break;
        separator = true;
      }
    }

    bool key_ascii = true;
    if (!decode(std::string_view(chars).substr(0, key_end), entry.key, key_ascii) ||
        !decode(std::string_view(chars).substr(value_start), entry.value, entry.ascii)) {
      doc_.error = fmt::format(
          "line {}: malformed \\uxxxx escape: java.util.Properties "
          "refuses the whole file",
          line);
      return false;
    }
    // An empty value starts after the separator and before a continuation backslash
    // (`key=\` then a blank line): a value written after the backslash would be read
    // with its first letter escaped.
    if (value_start < chars.size())
      entry.value_begin = logical.offsets[value_start];
    else
      entry.value_begin = chars.empty() ? logical.content_end : logical.offsets.back() + 1;
    entry.value_end = logical.content_end;
    doc_.entries.push_back(std::move(entry));
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  PropertiesDocument doc_;
};

}  // namespace

PropertiesDocument parse_properties(std::string_view text) {
  return PropertiesParser(text).parse();
}

std::string properties_escaped(std::string_view value) {
  // Code points; bytes that are not UTF-8 are taken as ISO-8859-1, as Java would.
  std::vector<char32_t> codes;
  if (auto decoded = util::decode_utf8(value)) {
    codes = std::move(*decoded);
  } else {
    for (char c : value)
      codes.push_back(static_cast<unsigned char>(c));
  }

  std::string out;
  for (size_t i = 0; i < codes.size(); ++i) {
    const char32_t c = codes[i];
    const std::string_view named = "\t\n\r\f", letters = "tnrf";
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x80 && named.find(static_cast<char>(c)) != std::string_view::npos) {
      out += '\\';
      out += letters[named.find(static_cast<char>(c))];
    } else if (i == 0 && (c == ' ' || c == '=' || c == ':')) {
      // Would be taken for part of the separator.
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else if (c < 0x10000) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(c));
    } else {
      const char32_t v = c - 0x10000;
      out += fmt::format("\\u{:04X}\\u{:04X}", static_cast<unsigned>(0xd800 + (v >> 10)),
                         static_cast<unsigned>(0xdc00 + (v & 0x3ff)));
    }
  }
  return out;
}

}  // namespace meetgate::render
