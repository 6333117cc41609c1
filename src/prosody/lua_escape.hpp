// Values written into Lua that Prosody runs (admin shell commands): a username or a
// password must stay data, whatever bytes it holds.
#pragma once

#include <string>
#include <string_view>

namespace meetgate::prosody {

// `bytes` as a double-quoted Lua string literal that Lua 5.1 to 5.4 read back as exactly
// those bytes. Letters and digits stay; every other byte, quotes, backslashes, brackets,
// spaces, UTF-8 and control bytes alike, becomes a three-digit `\ddd`, so nothing can
// end the literal, open a comment or merge with a following digit.
std::string lua_literal(std::string_view bytes);

}  // namespace meetgate::prosody
