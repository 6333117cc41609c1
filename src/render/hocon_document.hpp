// A HOCON file (the syntax of Typesafe Config, which Jicofo reads) taken apart for
// patching: every field with its key path and the byte spans of its key and value, and
// nested objects linked to the fields that hold them, so a value can be changed in place
// and every other byte kept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace meetgate::render {

enum class HoconValueKind {
  kText,    // strings, numbers, booleans, null, and concatenations of them
  kObject,  // exactly one `{ ... }`
  kOther,   // arrays, substitutions, mixed concatenations
};

struct HoconField {
  std::vector<std::string> key;  // path elements, decoded: `a."b.c" d` is {"a", "b.c d"}
  std::string separator;         // ":", "=", "+=", or "" for `key { ... }`
  HoconValueKind kind = HoconValueKind::kOther;
  std::string text;             // kText: the value as Typesafe Config reads it as a string
  int object = -1;              // kObject: its index in HoconDocument::objects
  std::size_t begin = 0;        // first byte of the key
  std::size_t value_begin = 0;  // first byte of the value
  std::size_t end = 0;          // after the last byte of the value
  std::size_t comma = std::string::npos;  // the ',' that ends the field, if any
  int line = 0;                           // of the key, from 1
};

struct HoconObject {
  std::size_t open = std::string::npos;   // the '{'; npos for a root without braces
  std::size_t close = std::string::npos;  // the '}'; npos for a root without braces
  std::vector<HoconField> fields;         // in file order; includes are not fields
};

struct HoconDocument {
  // objects[0] is the root. Objects inside arrays are listed too, but no field points
  // at them: nothing in an array is addressable by a path.
  std::vector<HoconObject> objects;
  std::string error;  // "line N: ...": the text is not HOCON this reader understands
  bool ok() const { return error.empty(); }
};

// Reads `text`. Strict where Typesafe Config is (reserved characters outside quotes,
// unclosed braces or strings, doubled commas), so a file it would refuse is refused
// here too. Includes are skipped: their files are not read.
HoconDocument parse_hocon(std::string_view text);

// A double-quoted HOCON string holding exactly `value`.
std::string hocon_quoted(std::string_view value);

}  // namespace meetgate::render
