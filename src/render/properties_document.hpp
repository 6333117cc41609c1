// A Java .properties file (java.util.Properties' format: Jigasi reads its
// sip-communicator.properties with it) taken apart for patching: each logical line's
// key and value, decoded, with the byte spans they came from.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace meetgate::render {

struct PropertiesEntry {
  std::string key;    // decoded
  std::string value;  // decoded, as UTF-8
  // Every byte of the value is ASCII: it reads the same whichever charset loads the
  // file (Properties.load(InputStream), which Jitsi uses, reads ISO-8859-1).
  bool ascii = true;
  // The line is a key alone (`key`): a value written after it needs a separator.
  bool bare_key = false;
  // The last line ends in a continuation backslash at the end of the file: a line
  // appended right after it would be read as part of this value.
  bool continues_at_end = false;
  std::size_t begin = 0;        // start of its first line, leading blanks included
  std::size_t value_begin = 0;  // first byte of the value
  std::size_t value_end = 0;    // after the value's last byte, before the line break
  std::size_t end = 0;          // after the line break that ends it (or the text's end)
  int line = 0;                 // of its first line, from 1
};

struct PropertiesComment {
  std::string text;     // after the '#' or '!' and the blanks that follow it
  std::size_t end = 0;  // after its line break (or the text's end)
  int line = 0;
};

struct PropertiesDocument {
  std::vector<PropertiesEntry> entries;  // in file order; a later key overrides
  std::vector<PropertiesComment> comments;
  std::string error;  // "line N: ..." when java.util.Properties would refuse the text
  bool ok() const { return error.empty(); }
};

// Reads `text` as java.util.Properties.load does: natural lines ended by \n, \r or
// \r\n; '#' or '!' comment lines; a backslash continuing a line; '=', ':' or blanks
// between key and value; \t \n \r \f \uXXXX and \x escapes.
PropertiesDocument parse_properties(std::string_view text);

// `value` escaped to be read back exactly by java.util.Properties after `key=`,
// whatever charset loads the file: non-ASCII as \uXXXX, backslash, control characters
// and a leading blank, '=' or ':' escaped.
std::string properties_escaped(std::string_view value);

}  // namespace meetgate::render
