// Writing and reading JavaScript string literals for the config.js patcher.
#include "render/js_string_literal.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace meetgate::render {
namespace {

constexpr std::string_view kLineSeparator = "\xE2\x80\xA8";       // U+2028
constexpr std::string_view kParagraphSeparator = "\xE2\x80\xA9";  // U+2029

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

std::optional<std::uint32_t> parse_hex(std::string_view digits) {
  if (digits.empty() || digits.size() > 6)
    return std::nullopt;
  std::uint32_t value = 0;
  for (char c : digits) {
    value <<= 4;
    if (c >= '0' && c <= '9')
      value |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      value |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      value |= static_cast<std::uint32_t>(c - 'A' + 10);
    else
      return std::nullopt;
  }
  return value;
}

// Reads the code unit of a \uXXXX or \u{X...} escape whose 'u' is at `pos`, and moves
// `pos` past it.
std::optional<std::uint32_t> unicode_escape(std::string_view body, std::size_t& pos) {
  if (body.substr(pos + 1, 1) == "{") {
    const std::size_t close = body.find('}', pos + 2);
    if (close == std::string_view::npos)
      return std::nullopt;
    const auto value = parse_hex(body.substr(pos + 2, close - pos - 2));
    pos = close + 1;
    return value && *value <= 0x10FFFF ? value : std::nullopt;
  }
  if (body.size() < pos + 5)
    return std::nullopt;
  const auto value = parse_hex(body.substr(pos + 1, 4));
  pos += 5;
  return value;
}

// Reads one escape whose backslash is at `pos`, appends its value, moves `pos` past it.
bool decode_escape(std::string_view body, std::size_t& pos, std::string& out) {
  const std::string_view rest = body.substr(pos + 1);
  if (rest.empty())
    return false;
  for (std::string_view separator : {kLineSeparator, kParagraphSeparator}) {
    if (rest.starts_with(separator)) {  // a line continuation
      pos += 1 + separator.size();
      return true;
    }
  }
  const char c = rest[0];
  pos += 2;
  switch (c) {
    case '\r':
      if (rest.substr(1, 1) == "\n")
        ++pos;
      return true;
    case '\n':
      return true;
    case 'b':
      out += '\b';
      return true;
    case 'f':
      out += '\f';
      return true;
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case 'v':
      out += '\v';
      return true;
    case 'x': {
      const auto value = rest.size() >= 3 ? parse_hex(rest.substr(1, 2)) : std::nullopt;
      if (!value)
        return false;
      append_utf8(out, *value);
      pos += 2;
      return true;
    }
    case 'u': {
      pos -= 1;
      auto value = unicode_escape(body, pos);
      if (!value)
        return false;
      // A surrogate pair is two escapes for one code point.
      if (*value >= 0xD800 && *value <= 0xDBFF && body.substr(pos, 2) == "\\u") {
        std::size_t low_pos = pos + 1;
        const auto low = unicode_escape(body, low_pos);
        if (!low || *low < 0xDC00 || *low > 0xDFFF)
          return false;
        value = 0x10000 + ((*value - 0xD800) << 10) + (*low - 0xDC00);
        pos = low_pos;
      }
      if (*value >= 0xD800 && *value <= 0xDFFF)
        return false;
      append_utf8(out, *value);
      return true;
    }
    default:
      break;
  }
  if (c >= '0' && c <= '9') {
    const bool nul = c == '0' && !(rest.size() > 1 && rest[1] >= '0' && rest[1] <= '9');
    if (nul)
      out += '\0';
    return nul;  // legacy octal escapes, \8 and \9: not worth reading
  }
  out += c;  // \' \" \\ and every other character stand for themselves
  return true;
}

}  // namespace

std::string js_string_literal(std::string_view value) {
  std::string out = "'";
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const auto byte = static_cast<unsigned char>(c);
    const auto rest = value.substr(i);
    if (rest.starts_with(kLineSeparator) || rest.starts_with(kParagraphSeparator)) {
      out += rest.starts_with(kLineSeparator) ? "\\u2028" : "\\u2029";
      i += 2;
    } else if (c == '\\' || c == '\'') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F || c == '<' || c == '>') {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::optional<std::string> decode_js_string(std::string_view literal) {
  if (literal.size() < 2 || (literal[0] != '\'' && literal[0] != '"') ||
      literal.back() != literal[0])
    return std::nullopt;

  const std::string_view body = literal.substr(1, literal.size() - 2);
  std::string out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    if (body[pos] != '\\') {
      out += body[pos++];
    } else if (!decode_escape(body, pos, out)) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace meetgate::render
