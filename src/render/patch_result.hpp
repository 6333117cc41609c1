// What a config patcher returns: the whole new file, or why the file was not understood.
#pragma once

#include <string>

namespace meetgate::render {

struct PatchResult {
  std::string text;   // the complete new content; equal to the input when nothing changes
  std::string error;  // set when the structure was not understood: what was missing or
                      // broken and where ("line 12: ..."); the caller names the file and
                      // writes nothing
  bool ok() const { return error.empty(); }
};

}  // namespace meetgate::render
