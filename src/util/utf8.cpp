#include "util/utf8.hpp"

namespace meetgate::util {

std::size_t utf8_length_at(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80)
    return 1;
  const std::size_t length = lead >= 0xc2 && lead <= 0xdf   ? 2
                             : lead >= 0xe0 && lead <= 0xef ? 3
                             : lead >= 0xf0 && lead <= 0xf4 ? 4
                                                            : 0;
  if (length == 0 || i + length > text.size())
    return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80)
      return 0;
  }

  // Overlong three- and four-byte forms, surrogates, and code points past U+10FFFF.
  const unsigned char second = byte(i + 1);
  if (lead == 0xe0 && second < 0xa0)
    return 0;
  if (lead == 0xed && second >= 0xa0)
    return 0;
  if (lead == 0xf0 && second < 0x90)
    return 0;
  if (lead == 0xf4 && second >= 0x90)
    return 0;
  return length;
}

std::optional<std::vector<char32_t>> decode_utf8(std::string_view text) {
  std::vector<char32_t> code_points;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_length_at(text, i);
    if (length == 0)
      return std::nullopt;

    const auto lead = static_cast<unsigned char>(text[i]);
    char32_t cp = length == 1 ? lead : lead & (0x7f >> length);
    for (std::size_t k = 1; k < length; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3f);
    }
    code_points.push_back(cp);
    i += length;
  }
  return code_points;
}

}  // namespace meetgate::util
