// Edits one object literal of a tokenized JavaScript file, byte-exact outside the edit.
#include "render/js_object_patch.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "render/js_string_literal.hpp"

namespace meetgate::render {
namespace {

// ---- lines of the text

std::size_t line_begin(std::string_view text, std::size_t offset) {
  const std::size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return newline == std::string_view::npos ? 0 : newline + 1;
}

// Just after the line break of the line holding `offset`.
std::size_t line_end(std::string_view text, std::size_t offset) {
  const std::size_t newline = text.find('\n', offset);
  return newline == std::string_view::npos ? text.size() : newline + 1;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// Where the run of blanks that ends at `offset` starts.
std::size_t blanks_before(std::string_view text, std::size_t offset) {
  while (offset > 0 && is_blank(text[offset - 1]))
    --offset;
  return offset;
}

bool is_first_on_line(std::string_view text, std::size_t offset) {
  return blanks_before(text, offset) == line_begin(text, offset);
}

std::string_view indentation(std::string_view text, std::size_t offset) {
  const std::size_t begin = line_begin(text, offset);
  std::size_t end = begin;
  while (end < text.size() && is_blank(text[end]))
    ++end;
  return text.substr(begin, end - begin);
}

// The line break that ends the line holding `offset`: a CRLF file keeps CRLF.
std::string_view line_break(std::string_view text, std::size_t offset) {
  const std::size_t end = line_end(text, offset);
  return end >= 2 && text.substr(end - 2, 2) == "\r\n" ? "\r\n" : "\n";
}

// A // comment runs to the '\n' of its line, not to a lone CR or U+2028 before it.
bool comment_ends_line(const JsSource& source, std::size_t index) {
  const auto after = source.text.substr(source.tokens[index].end, 2);
  return after.empty() || after[0] == '\n' || after == "\r\n";
}

// True when nothing but comments follows token `index` on its line. Lines end at '\n'
// here; a // comment that JavaScript ends earlier (at a lone CR or U+2028) does not
// count as free, so nothing is ever inserted after code hidden on such a line.
bool rest_of_line_free(const JsSource& source, std::size_t index) {
  std::size_t pos = source.tokens[index].end;
  for (std::size_t i = index + 1; i < source.tokens.size(); ++i) {
    const JsToken& token = source.tokens[i];
    if (source.text.substr(pos, token.begin - pos).find('\n') != std::string_view::npos)
      return true;
    if (token.kind == JsTokenKind::kLineComment)
      return comment_ends_line(source, i);
    if (token.kind != JsTokenKind::kBlockComment ||
        source.text_of(i).find('\n') != std::string_view::npos)
      return false;
    pos = token.end;
  }
  return true;
}

// ---- edits

struct Edit {
  std::size_t begin;
  std::size_t end;
  std::string replacement;
};

std::string apply_edits(std::string_view text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
  std::string out(text);
  for (const Edit& edit : edits)
    out.replace(edit.begin, edit.end - edit.begin, edit.replacement);
  return out;
}

// ---- reading entries

bool is_opener(const JsSource& source, std::size_t index) {
  return source.is_punct(index, '(') || source.is_punct(index, '[') || source.is_punct(index, '{');
}

std::string quoted(std::string_view key) {
  return fmt::format("'{}'", key);
}

// A value is one expression: a ':' outside `?:` means the comma before the next
// entry's key is missing, which JavaScript rejects and meetgate will not guess around.
std::string check_value(const JsSource& source, const std::vector<std::size_t>& entry,
                        std::size_t from) {
  int open_ternaries = 0;
  for (std::size_t k = from; k < entry.size(); ++k) {
    const JsToken& token = source.tokens[entry[k]];
    if (source.is_punct(entry[k], '?')) {
      const char next = source.text[token.end];
      const char after = token.end + 1 < source.text.size() ? source.text[token.end + 1] : '\0';
      if (next == '?' && k + 1 < entry.size())
        ++k;                                                       // `??`
      else if (!(next == '.' && !(after >= '0' && after <= '9')))  // not `?.`
        ++open_ternaries;
    } else if (source.is_punct(entry[k], ':')) {
      if (open_ternaries-- == 0) {
        return fmt::format("line {}: missing comma before {}: add one after the value before it",
                           js_line_of(source.text, source.tokens[entry[k - 1]].begin),
                           source.text_of(entry[k - 1]));
      }
    }
  }
  return "";
}

// The entries besides `key: value` that JavaScript accepts in an object literal: a
// shorthand `name`, a spread `...value`, a method `name(...) { ... }` (with get, set,
// async, `*` or a [computed] name). Anything else, such as `key = value`, makes the
// file one that no browser runs, and guessing around it could only hide that.
bool is_other_entry(const JsSource& source, const std::vector<std::size_t>& entry) {
  const std::size_t n = entry.size();
  if (n == 1)
    return source.tokens[entry[0]].kind == JsTokenKind::kIdentifier;
  if (n >= 4 && source.is_punct(entry[0], '.') && source.is_punct(entry[1], '.') &&
      source.is_punct(entry[2], '.'))
    return true;
  if (n < 5 || !source.is_punct(entry[n - 4], '(') || !source.is_punct(entry[n - 2], '{'))
    return false;
  return std::all_of(entry.begin(), entry.end() - 4, [&](std::size_t index) {
    const JsTokenKind kind = source.tokens[index].kind;
    return kind == JsTokenKind::kIdentifier || kind == JsTokenKind::kString ||
           kind == JsTokenKind::kNumber || source.is_punct(index, '*') ||
           source.is_punct(index, '[') || source.is_punct(index, ']');
  });
}

// Fills `property` from the top-level tokens of one entry (a bracket pair appears as
// its opener and its closer).
std::string read_entry(const JsSource& source, const std::vector<std::size_t>& entry,
                       JsProperty& property) {
  property.first = entry.front();
  property.last = entry.back();
  const JsTokenKind first_kind = source.tokens[entry[0]].kind;
  const bool plain_key = first_kind == JsTokenKind::kIdentifier ||
                         first_kind == JsTokenKind::kString || first_kind == JsTokenKind::kNumber;
  std::size_t colon = 0;  // position in `entry`
  if (plain_key && entry.size() > 1 && source.is_punct(entry[1], ':'))
    colon = 1;
  else if (source.is_punct(entry[0], '[') && entry.size() > 2 && source.is_punct(entry[2], ':'))
    colon = 2;  // a computed key: [expression]: value

  if (colon == 0) {
    if (!is_other_entry(source, entry)) {
      const auto begin = source.tokens[entry[0]].begin;
      const auto end = source.tokens[entry[std::min<std::size_t>(entry.size(), 2) - 1]].end;
      return fmt::format("line {}: cannot read the entry that starts `{}`: write it as key: value",
                         js_line_of(source.text, begin), source.text.substr(begin, end - begin));
    }
    if (entry.size() == 1)
      property.key = source.text_of(entry[0]);  // a shorthand
    return "";
  }
  if (colon == 1) {
    const auto key = source.text_of(entry[0]);
    property.key =
        first_kind == JsTokenKind::kString ? decode_js_string(key).value_or("") : std::string(key);
  }
  if (entry.size() == colon + 1) {
    return fmt::format("line {}: {} has no value: add one or remove the key",
                       js_line_of(source.text, source.tokens[entry[0]].begin),
                       quoted(property.key));
  }
  property.has_value = true;
  property.value_first = entry[colon + 1];
  return check_value(source, entry, colon + 1);
}

// ---- where a new entry goes

bool comments_out(std::string_view comment, std::string_view key) {
  comment.remove_prefix(2);  // the "//"
  while (!comment.empty() && is_blank(comment.front()))
    comment.remove_prefix(1);
  const bool is_quoted = !comment.empty() && (comment[0] == '\'' || comment[0] == '"');
  const std::string quote = is_quoted ? std::string(1, comment[0]) : "";
  const std::string prefix = quote + std::string(key) + quote;
  if (!comment.starts_with(prefix))
    return false;
  comment.remove_prefix(prefix.size());
  while (!comment.empty() && is_blank(comment.front()))
    comment.remove_prefix(1);
  return comment.starts_with(":");
}

// The `// key: ...` line between two entries, e.g. config.js's
// `// anonymousdomain: 'guest.example.com',`: the new entry goes right after it.
std::optional<std::size_t> commented_example(const JsSource& source, const JsObject& object,
                                             std::string_view key) {
  auto property = object.properties.begin();
  for (std::size_t i = object.open + 1; i < object.close; ++i) {
    while (property != object.properties.end() && property->end() < i)
      ++property;
    const bool in_entry = property != object.properties.end() && property->first <= i;
    if (in_entry) {
      i = property->end();
      continue;
    }
    const JsToken& token = source.tokens[i];
    if (token.kind == JsTokenKind::kLineComment && is_first_on_line(source.text, token.begin) &&
        comment_ends_line(source, i) && comments_out(source.text_of(i), key))
      return i;
  }
  return std::nullopt;
}

bool is_identifier_name(std::string_view key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9'))
    return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
  });
}

std::string entry_text(std::string_view key, std::string_view value) {
  const std::string key_text = is_identifier_name(key) ? std::string(key) : js_string_literal(key);
  return key_text + ": " + js_string_literal(value);
}

// The new entry on a line of its own at `offset` (a line start), after the entry
// `before` (if any) and before another one when `entry_follows`.
std::vector<Edit> insert_line(const JsSource& source, std::size_t offset, std::string_view indent,
                              std::string_view eol, const JsProperty* before, bool entry_follows,
                              std::string_view entry) {
  std::vector<Edit> edits;
  // The entry before it was the last one and had no comma: it needs one now.
  if (before != nullptr && !before->comma) {
    const std::size_t at = source.tokens[before->last].end;
    edits.push_back({at, at, ","});
  }
  // Last now: keep the object's trailing-comma style.
  const bool comma = entry_follows || before == nullptr || before->comma.has_value();
  edits.push_back({offset, offset, fmt::format("{}{}{}{}", indent, entry, comma ? "," : "", eol)});
  return edits;
}

// The new entry on the line of its neighbours, as in `{ domain: 'x' }`.
std::vector<Edit> insert_inline(const JsSource& source, const JsObject& object,
                                std::string_view entry) {
  if (object.properties.empty()) {
    const std::size_t at = source.tokens[object.open].end;
    const bool tight = source.text[at] == '}';
    return {{at, at, fmt::format(" {}{}", entry, tight ? " " : "")}};
  }
  const JsProperty& last = object.properties.back();
  if (last.comma) {
    const std::size_t at = source.tokens[*last.comma].end;
    return {{at, at, fmt::format(" {},", entry)}};
  }
  const std::size_t at = source.tokens[last.last].end;
  return {{at, at, fmt::format(", {}", entry)}};
}

std::vector<Edit> insert_entry(const JsSource& source, const JsObject& object,
                               std::string_view entry, std::optional<std::size_t> example) {
  const std::string_view text = source.text;
  const auto& properties = object.properties;

  if (example) {
    const std::size_t at = source.tokens[*example].begin;
    const JsProperty* before = nullptr;
    bool entry_follows = false;
    for (const JsProperty& property : properties) {
      if (property.end() < *example)
        before = &property;
      else
        entry_follows = true;
    }
    return insert_line(source, line_end(text, at), indentation(text, at), line_break(text, at),
                       before, entry_follows, entry);
  }

  if (!properties.empty()) {
    const JsProperty& last = properties.back();
    const std::size_t at = source.tokens[last.first].begin;
    if (is_first_on_line(text, at) && rest_of_line_free(source, last.end())) {
      const std::size_t end = source.tokens[last.end()].end;
      return insert_line(source, line_end(text, end), indentation(text, at), line_break(text, end),
                         &last, false, entry);
    }
    return insert_inline(source, object, entry);
  }

  const std::size_t close = source.tokens[object.close].begin;
  if (is_first_on_line(text, close) && rest_of_line_free(source, object.open)) {
    const std::string_view outer = indentation(text, close);
    const std::string indent =
        std::string(outer) + (outer.find('\t') != std::string_view::npos ? "\t" : "    ");
    return insert_line(source, line_begin(text, close), indent,
                       line_break(text, source.tokens[object.open].begin), nullptr, false, entry);
  }
  return insert_inline(source, object, entry);
}

// The one `key` entry, or the error for two of them.
std::string single_property(const JsSource& source, const JsObject& object, std::string_view key,
                            const JsProperty*& found) {
  const auto matches = find_js_properties(object, key);
  found = matches.empty() ? nullptr : matches.front();
  if (matches.size() < 2)
    return "";
  return fmt::format("line {}: a second {} (the first is on line {}): remove one",
                     js_line_of(source.text, source.tokens[matches[1]->first].begin), quoted(key),
                     js_line_of(source.text, source.tokens[matches[0]->first].begin));
}

}  // namespace

JsObjectRead read_js_object(const JsSource& source, std::size_t open) {
  JsObjectRead read;
  read.object.open = open;
  read.object.close = source.tokens[open].match;

  std::vector<std::size_t> entry;
  for (std::size_t i = open + 1; i <= read.object.close; ++i) {
    if (source.tokens[i].is_comment())
      continue;
    const bool ends_entry = i == read.object.close || source.is_punct(i, ',');
    if (!ends_entry) {
      entry.push_back(i);
      if (is_opener(source, i)) {
        i = source.tokens[i].match;
        entry.push_back(i);
      }
      continue;
    }

    if (entry.empty()) {
      if (i == read.object.close)
        break;
      read.error = fmt::format("line {}: an empty entry: remove the extra comma",
                               js_line_of(source.text, source.tokens[i].begin));
      return read;
    }
    JsProperty property;
    if (i != read.object.close)
      property.comma = i;
    read.error = read_entry(source, entry, property);
    if (!read.ok())
      return read;
    read.object.properties.push_back(property);
    entry.clear();
  }
  return read;
}

std::vector<const JsProperty*> find_js_properties(const JsObject& object, std::string_view key) {
  std::vector<const JsProperty*> found;
  for (const JsProperty& property : object.properties) {
    if (property.key == key)
      found.push_back(&property);
  }
  return found;
}

PatchResult set_js_string_property(const JsSource& source, const JsObject& object,
                                   std::string_view key, std::string_view value) {
  const JsProperty* property = nullptr;
  if (auto error = single_property(source, object, key, property); !error.empty())
    return {"", error};
  const std::string entry = entry_text(key, value);

  if (property == nullptr) {
    const auto edits = insert_entry(source, object, entry, commented_example(source, object, key));
    return {apply_edits(source.text, edits), ""};
  }
  if (!property->has_value) {
    return {"", fmt::format("line {}: {} is not written as `key: value`: write it as {}",
                            js_line_of(source.text, source.tokens[property->first].begin),
                            quoted(key), entry)};
  }

  // Equal already (whatever its quotes): nothing to do, so a second run is a no-op.
  const bool single_string = property->value_first == property->last &&
                             source.tokens[property->last].kind == JsTokenKind::kString;
  if (single_string && decode_js_string(source.text_of(property->last)) == value)
    return {std::string(source.text), ""};
  const Edit edit{source.tokens[property->value_first].begin, source.tokens[property->last].end,
                  js_string_literal(value)};
  return {apply_edits(source.text, {edit}), ""};
}

PatchResult remove_js_property(const JsSource& source, const JsObject& object,
                               std::string_view key) {
  const JsProperty* property = nullptr;
  if (auto error = single_property(source, object, key, property); !error.empty())
    return {"", error};
  if (property == nullptr)
    return {std::string(source.text), ""};

  const std::string_view text = source.text;
  const std::size_t begin = source.tokens[property->first].begin;
  const std::size_t end = source.tokens[property->end()].end;
  std::vector<Edit> edits;
  if (is_first_on_line(text, begin) && rest_of_line_free(source, property->end())) {
    edits.push_back({line_begin(text, begin), line_end(text, end), ""});
  } else {
    // On a shared line: take the blanks after it when another token follows on the
    // line, else the blanks before it, so no stray space is left at either end.
    std::size_t after = end;
    while (after < text.size() && is_blank(text[after]))
      ++after;
    const bool more_on_line =
        property->comma && after < text.size() && text[after] != '\n' && text[after] != '\r';
    if (more_on_line)
      edits.push_back({begin, after, ""});
    else
      edits.push_back({blanks_before(text, begin), end, ""});
  }

  // The last entry had no comma: the one before it becomes last and loses its comma.
  const bool is_last = property == &object.properties.back();
  if (is_last && !property->comma && object.properties.size() > 1) {
    const JsProperty& before = object.properties[object.properties.size() - 2];
    const std::size_t comma = source.tokens[*before.comma].begin;
    edits.push_back({comma, comma + 1, ""});
  }
  return {apply_edits(text, edits), ""};
}

}  // namespace meetgate::render
