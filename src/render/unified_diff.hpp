// A unified diff between the file on disk and what render would write, for --dry-run.
#pragma once

#include <string>
#include <string_view>

namespace meetgate::render {

// "--- a/<path>\n+++ b/<path>\n@@ ... @@" with 3 lines of context; empty when equal.
std::string unified_diff(std::string_view before, std::string_view after, std::string_view path);

}  // namespace meetgate::render
