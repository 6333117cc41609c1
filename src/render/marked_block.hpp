// The part of an extension file that meetgate owns (docker-jitsi-meet's custom-*.js,
// custom-*.conf, custom-*.properties): the lines between two marker comments. The
// operator's own lines around it are kept byte for byte.
#pragma once

#include <string_view>

#include "render/patch_result.hpp"

namespace meetgate::render {

// The marker lines, after the comment prefix ("//" or "#") and a space.
inline constexpr std::string_view kBlockBegin = "BEGIN meetgate: generated, edits here are lost";
inline constexpr std::string_view kBlockEnd = "END meetgate";

// Puts `body` (lines, each ending in '\n') between the markers: in place of the old
// block when there is one, else appended at the end. An empty body removes the block.
// Line endings follow the file's (CRLF when its first line ends so). A begin marker
// without its end, or two blocks, is an error: the file is not ours to guess about.
PatchResult replace_marked_block(std::string_view existing, std::string_view body,
                                 std::string_view comment_prefix);

}  // namespace meetgate::render
