// Reading and editing one object literal of a tokenized JavaScript file: find a
// property, set a string property, remove one, keeping every other byte, the file's
// indentation, line endings and comma style.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render/js_tokens.hpp"
#include "render/patch_result.hpp"

namespace meetgate::render {

// One comma-separated entry of an object literal. Indices are into JsSource::tokens.
struct JsProperty {
  std::string key;         // as JavaScript reads it ('a' and a alike); a shorthand's name; else ""
  bool has_value = false;  // `key: value`; false for shorthands, methods, spreads
  std::size_t first = 0;   // the entry's first token
  std::size_t last = 0;    // its last token before the comma (comments aside)
  std::size_t value_first = 0;       // the value's tokens, when has_value
  std::optional<std::size_t> comma;  // the comma after it; none on a last entry

  std::size_t end() const { return comma ? *comma : last; }  // the entry's final token
};

struct JsObject {
  std::size_t open = 0;  // the '{' and '}' tokens
  std::size_t close = 0;
  std::vector<JsProperty> properties;
};

struct JsObjectRead {
  JsObject object;
  std::string error;  // "line 12: ..." for an empty entry or a missing comma
  bool ok() const { return error.empty(); }
};

// The entries of the object literal whose '{' is token `open`.
JsObjectRead read_js_object(const JsSource& source, std::size_t open);

// The `key` entries of `object`, in file order.
std::vector<const JsProperty*> find_js_properties(const JsObject& object, std::string_view key);

// Makes `object` hold `key: '<value>'` exactly once. An existing value that differs
// (or is an expression) is replaced, and only its bytes; an equal one is left as it is.
// A missing key goes after its commented-out example (`// key: ...`), else after the
// last entry, else into the empty object; a comma is added to the entry before it when
// that entry had none. Two `key` entries, or a shorthand `key`, are an error.
PatchResult set_js_string_property(const JsSource& source, const JsObject& object,
                                   std::string_view key, std::string_view value);

// Removes the `key` entry with its comma: its whole lines when it has them to itself
// (a comment on its last line goes with it), else just its bytes. Removing the last
// entry also removes the comma before it, so the file keeps its comma style.
PatchResult remove_js_property(const JsSource& source, const JsObject& object,
                               std::string_view key);

}  // namespace meetgate::render
