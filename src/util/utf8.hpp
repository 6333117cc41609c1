// Strict UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF), as the users
// source and Prosody's stringprep both require it.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace meetgate::util {

// Length of the valid UTF-8 sequence starting at `i`, or 0 when none starts there.
std::size_t utf8_length_at(std::string_view text, std::size_t i);

// The code points of `text`, or nullopt when it is not valid UTF-8.
std::optional<std::vector<char32_t>> decode_utf8(std::string_view text);

}  // namespace meetgate::util
