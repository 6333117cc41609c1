// JavaScript string literals: writing a value as one, and reading one back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace meetgate::render {

// `value` as a single-quoted JavaScript string literal. Quotes, backslashes, control
// characters and the line separators U+2028/U+2029 are escaped; so are '<' and '>',
// because nginx runs config.js through SSI, where "<!--#" would start a directive.
std::string js_string_literal(std::string_view value);

// The value of a '...' or "..." literal (quotes included in `literal`), UTF-8 encoded.
// Nothing for anything else, or for legacy octal escapes and lone surrogates, which
// meetgate never writes.
std::optional<std::string> decode_js_string(std::string_view literal);

}  // namespace meetgate::render
