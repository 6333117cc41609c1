// Setting and removing jicofo.authentication.* in a jicofo.conf, byte for byte
// everywhere else.
#include "render/jicofo_config.hpp"

#include <algorithm>
#include <functional>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "render/hocon_document.hpp"

namespace meetgate::render {
namespace {

using Path = std::vector<std::string>;

const Path kJicofo = {"jicofo"};
const Path kAuthentication = {"jicofo", "authentication"};

struct Setting {
  std::string key;
  std::string written;  // as it goes into the file
  std::string read;     // as Typesafe Config reads it back, for comparing
};

// The values docker-jitsi-meet's jicofo.conf template writes for ENABLE_AUTH, in its
// order. The lifetime is quoted: the same string to Jicofo's duration parser as the
// template's unquoted `24 hours`, and safe for any text the variable holds.
std::vector<Setting> wanted_settings(const config::XmppSettings& xmpp) {
  const std::string& auth_type =
      xmpp.jicofo_auth_type.empty() ? xmpp.auth_type : xmpp.jicofo_auth_type;
  const std::string type = auth_type == "jwt" ? "JWT" : "XMPP";
  const std::string auto_login = xmpp.enable_auto_login ? "true" : "false";
  return {
      {"enabled", "true", "true"},
      {"type", type, type},
      {"login-url", hocon_quoted(xmpp.domain), xmpp.domain},
      {"enable-auto-login", auto_login, auto_login},
      {"authentication-lifetime", hocon_quoted(xmpp.jicofo_auth_lifetime),
       xmpp.jicofo_auth_lifetime},
  };
}

const std::vector<std::string> kManagedKeys = {"enabled", "type", "login-url", "enable-auto-login",
                                               "authentication-lifetime"};

// A field reachable from the root through objects, with its full path.
struct Located {
  const HoconField* field;
  int holder;  // the object it is in
  Path path;
};

void collect(const HoconDocument& doc, int object, const Path& prefix, std::vector<Located>& out) {
  for (const auto& field : doc.objects[object].fields) {
    Path path = prefix;
    path.insert(path.end(), field.key.begin(), field.key.end());
    out.push_back({&field, object, path});
    if (field.kind == HoconValueKind::kObject)
      collect(doc, field.object, path, out);
  }
}

Path setting_path(const std::string& key) {
  Path path = kAuthentication;
  path.push_back(key);
  return path;
}

// What the file's structure must be for a patch to mean one thing.
std::string structure_problem(const std::vector<Located>& fields) {
  const Located* first_block = nullptr;
  for (const auto& located : fields) {
    const auto& field = *located.field;
    const bool container = located.path == kJicofo || located.path == kAuthentication;
    if (container && field.kind != HoconValueKind::kObject) {
      return fmt::format(
          "line {}: {} is set to something other than an object: make it "
          "a {{ }} block so meetgate can add to it",
          field.line, fmt::join(located.path, "."));
    }
    if (located.holder == 0 && located.path == kJicofo) {
      if (first_block != nullptr) {
        return fmt::format(
            "line {}: a second top-level jicofo block (the first is at line "
            "{}): merge them into one; meetgate will not choose between them",
            field.line, first_block->field->line);
      }
      first_block = &located;
    }
    for (const auto& key : kManagedKeys) {
      if (located.path == setting_path(key) &&
          (field.separator.empty() || field.separator == "+=")) {
        return fmt::format("line {}: {} is not a plain value: set it with '=' or ':'", field.line,
                           fmt::join(located.path, "."));
      }
    }
  }
  return "";
}

struct Edit {
  size_t begin;
  size_t end;
  std::string text;
};

std::string apply(std::string_view original, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::string out;
  size_t at = 0;
  for (const auto& edit : edits) {
    // Removals may overlap where two neighbours both claim the comma between them.
    if (edit.begin < at) {
      at = std::max(at, edit.end);
      continue;
    }
    out += original.substr(at, edit.begin - at);
    out += edit.text;
    at = edit.end;
  }
  out += original.substr(at);
  return out;
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

size_t line_start(std::string_view text, size_t offset) {
  const size_t newline = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  return offset == 0 || newline == std::string_view::npos ? 0 : newline + 1;
}

size_t skip_spaces(std::string_view text, size_t offset) {
  while (offset < text.size() && (text[offset] == ' ' || text[offset] == '\t'))
    ++offset;
  return offset;
}

// How new lines are written: the file's line ending and separator style.
struct Style {
  std::string eol = "\n";
  bool colon = false;  // `key: value` and `key: {` (the Debian postinst's hocon CLI)
};

Style style_of(std::string_view text, const std::vector<Located>& fields) {
  Style style;
  const size_t newline = text.find('\n');
  if (newline != std::string_view::npos && newline > 0 && text[newline - 1] == '\r')
    style.eol = "\r\n";
  for (const auto& located : fields) {
    if (located.field->separator == ":" || located.field->separator == "=") {
      style.colon = located.field->separator == ":";
      break;
    }
  }
  return style;
}

// A line to add: `depth` levels below the fields of the object it goes into.
struct NewLine {
  int depth;
  std::string text;
};

std::string field_line(const Setting& setting, const Style& style) {
  return setting.key + (style.colon ? ": " : " = ") + setting.written;
}

std::string open_line(std::string_view key, const Style& style) {
  return std::string(key) + (style.colon ? ": {" : " {");
}

// New lines on one line, for an object whose '}' shares its line with other text:
// `a { x = 1 }` gets `a { x = 1, y = 2 }`.
std::string inline_text(const std::vector<NewLine>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      const bool after_open = lines[i - 1].text.ends_with("{");
      out += after_open || lines[i].text == "}" ? " " : ", ";
    }
    out += lines[i].text;
  }
  return out;
}

// The blanks that indent the fields of `object`: those of its first field that starts
// a line, else one level more than its closing brace.
std::string field_indent(std::string_view text, const HoconObject& object,
                         std::string_view close_indent) {
  for (const auto& field : object.fields) {
    const size_t start = line_start(text, field.begin);
    if (start > object.open || object.open == std::string::npos) {
      const auto before = text.substr(start, field.begin - start);
      if (is_blank(before))
        return std::string(before);
    }
  }
  if (object.open == std::string::npos)
    return "";
  return std::string(close_indent) + (close_indent.find('\t') != std::string::npos ? "\t" : "  ");
}

Edit insert_lines(std::string_view text, const HoconObject& object,
                  const std::vector<NewLine>& lines, const Style& style) {
  // A root without braces: append.
  if (object.open == std::string::npos) {
    std::string out = !text.empty() && !text.ends_with('\n') ? style.eol : "";
    const std::string indent = field_indent(text, object, "");
    for (const auto& line : lines)
      out += indent + std::string(2 * static_cast<size_t>(line.depth), ' ') + line.text + style.eol;
    return {text.size(), text.size(), out};
  }

  // '}' alone on its line: the new lines go just above it.
  const size_t close_line = line_start(text, object.close);
  const auto close_indent = text.substr(close_line, object.close - close_line);
  if (close_line > object.open && is_blank(close_indent)) {
    const std::string indent = field_indent(text, object, close_indent);
    std::string unit = "  ";
    if (indent.size() > close_indent.size() && indent.starts_with(close_indent))
      unit = indent.substr(close_indent.size());
    std::string out;
    for (const auto& line : lines) {
      out += indent;
      for (int i = 0; i < line.depth; ++i)
        out += unit;
      out += line.text + style.eol;
    }
    return {close_line, close_line, out};
  }

  // Otherwise on the brace's line, after the last field (and its comma, if any).
  size_t at = object.close;
  while (at > object.open + 1 && (text[at - 1] == ' ' || text[at - 1] == '\t'))
    --at;
  const bool needs_comma =
      !object.fields.empty() && object.fields.back().comma == std::string::npos;
  std::string out = (needs_comma ? ", " : " ") + inline_text(lines);
  if (at == object.close)
    out += ' ';
  return {at, at, out};
}

// The bytes that go with a removed field: its whole line when it has the line to
// itself (a trailing comment included), else the field and one comma next to it: its
// own, or that of the nearest field before it that stays.
Edit removal(std::string_view text, const HoconObject& holder, size_t index,
             const std::function<bool(size_t)>& removed) {
  const HoconField& field = holder.fields[index];
  const size_t start = line_start(text, field.begin);
  size_t after = skip_spaces(text, field.end);
  if (after == field.comma)
    after = skip_spaces(text, after + 1);
  if (after < text.size() && (text[after] == '#' || text.substr(after).starts_with("//")))
    after = std::min(text.find('\n', after), text.size());
  if (after < text.size() && text[after] == '\r' && after + 1 < text.size() &&
      text[after + 1] == '\n')
    ++after;
  const bool line_ends = after >= text.size() || text[after] == '\n';
  if (line_ends && (start > holder.open || holder.open == std::string::npos) &&
      is_blank(text.substr(start, field.begin - start)))
    return {start, std::min(after + 1, text.size()), ""};

  if (field.comma != std::string::npos)
    return {field.begin, skip_spaces(text, field.comma + 1), ""};
  size_t kept = index;
  while (kept > 0 && removed(kept - 1))
    --kept;
  if (kept > 0 && holder.fields[kept - 1].comma != std::string::npos) {
    // Only blanks and the removed fields between that comma and this field.
    const size_t comma = holder.fields[kept - 1].comma;
    std::string between(text.substr(comma + 1, field.begin - comma - 1));
    for (size_t i = kept; i < index; ++i) {
      const auto& gone = holder.fields[i];
      const size_t to = gone.comma != std::string::npos ? gone.comma + 1 : gone.end;
      for (size_t at = gone.begin - comma - 1; at < to - comma - 1; ++at)
        between[at] = ' ';
    }
    if (is_blank(between))
      return {comma, field.end, ""};
  }
  return {field.begin, skip_spaces(text, field.end), ""};
}

size_t index_in(const HoconObject& holder, const HoconField* field) {
  return static_cast<size_t>(field - holder.fields.data());
}

std::vector<Edit> enable_edits(std::string_view text, const HoconDocument& doc,
                               const std::vector<Located>& fields,
                               const config::XmppSettings& xmpp) {
  const Style style = style_of(text, fields);
  std::vector<Edit> edits;
  std::vector<Setting> missing;
  for (const auto& setting : wanted_settings(xmpp)) {
    bool found = false;
    for (const auto& located : fields) {
      if (located.path != setting_path(setting.key))
        continue;
      found = true;
      const auto& field = *located.field;
      if (field.kind != HoconValueKind::kText || field.text != setting.read)
        edits.push_back({field.value_begin, field.end, setting.written});
    }
    if (!found)
      missing.push_back(setting);
  }
  if (missing.empty())
    return edits;

  // Into the last `authentication` object, as later values win in HOCON; else a new
  // one in the `jicofo` block; else a new `jicofo` block.
  const Located* authentication = nullptr;
  const Located* jicofo = nullptr;
  for (const auto& located : fields) {
    if (located.path == kAuthentication)
      authentication = &located;
    if (located.path == kJicofo && located.holder == 0)
      jicofo = &located;
  }
  int depth = authentication ? 0 : jicofo ? 1 : 2;
  std::vector<NewLine> lines;
  if (depth == 2)
    lines.push_back({0, open_line("jicofo", style)});
  if (depth >= 1)
    lines.push_back({depth - 1, open_line("authentication", style)});
  for (const auto& setting : missing)
    lines.push_back({depth, field_line(setting, style)});
  for (int level = depth - 1; level >= 0; --level)
    lines.push_back({level, "}"});

  const int target = authentication ? authentication->field->object
                     : jicofo       ? jicofo->field->object
                                    : 0;
  edits.push_back(insert_lines(text, doc.objects[target], lines, style));
  return edits;
}

// Auth off: the keys go rather than being set to false. Jicofo's reference.conf
// defaults to `enabled = false`, so the absence is the disabled state, and a file
// meetgate added a block to gets its original bytes back.
std::vector<Edit> disable_edits(std::string_view text, const HoconDocument& doc,
                                const std::vector<Located>& fields) {
  std::vector<const Located*> removed;
  auto is_removed = [&](const HoconField* field) {
    return std::any_of(removed.begin(), removed.end(),
                       [&](const Located* r) { return r->field == field; });
  };
  for (const auto& located : fields) {
    for (const auto& key : kManagedKeys) {
      if (located.path == setting_path(key))
        removed.push_back(&located);
    }
  }

  // Innermost first: an `authentication` or `jicofo` object emptied by the removals
  // goes too, when nothing but blanks would be left of it.
  for (auto it = fields.rbegin(); it != fields.rend(); ++it) {
    const bool container = it->path == kAuthentication || it->path == kJicofo;
    if (!container || it->field->kind != HoconValueKind::kObject)
      continue;
    const HoconObject& object = doc.objects[it->field->object];
    if (object.fields.empty())
      continue;
    std::vector<Edit> inner;
    for (size_t i = 0; i < object.fields.size(); ++i) {
      if (!is_removed(&object.fields[i]))
        break;
      inner.push_back(removal(text, object, i, [](size_t) { return true; }));
    }
    if (inner.size() != object.fields.size())
      continue;
    const auto body = text.substr(object.open + 1, object.close - object.open - 1);
    for (auto& edit : inner) {
      edit.begin -= object.open + 1;
      edit.end -= object.open + 1;
    }
    if (is_blank(apply(body, inner)))
      removed.push_back(&*it);
  }

  std::vector<Edit> edits;
  for (const Located* located : removed) {
    const auto* field = located->field;
    const bool nested = std::any_of(removed.begin(), removed.end(), [&](const Located* outer) {
      return outer != located && outer->field->begin <= field->begin &&
             field->end <= outer->field->end;
    });
    if (!nested) {
      const HoconObject& holder = doc.objects[located->holder];
      edits.push_back(removal(text, holder, index_in(holder, field),
                              [&](size_t i) { return is_removed(&holder.fields[i]); }));
    }
  }
  return edits;
}

// Reads the result back: the patch must leave a file whose values are the ones meant.
std::string read_back_problem(std::string_view text, const config::XmppSettings& xmpp) {
  const auto doc = parse_hocon(text);
  if (!doc.ok())
    return doc.error;
  std::vector<Located> fields;
  collect(doc, 0, {}, fields);
  if (auto problem = structure_problem(fields); !problem.empty())
    return problem;

  for (const auto& setting : wanted_settings(xmpp)) {
    const HoconField* last = nullptr;
    for (const auto& located : fields) {
      if (located.path == setting_path(setting.key))
        last = located.field;
    }
    if (xmpp.enable_auth && (last == nullptr || last->text != setting.read))
      return fmt::format("jicofo.authentication.{} would not read as intended", setting.key);
    if (!xmpp.enable_auth && last != nullptr)
      return fmt::format("jicofo.authentication.{} would be left in place", setting.key);
  }
  return "";
}

}  // namespace

PatchResult patch_jicofo_config(std::string_view original, const config::XmppSettings& xmpp) {
  const auto doc = parse_hocon(original);
  if (!doc.ok())
    return {"", doc.error};
  std::vector<Located> fields;
  collect(doc, 0, {}, fields);
  if (auto problem = structure_problem(fields); !problem.empty())
    return {"", problem};

  const auto edits = xmpp.enable_auth ? enable_edits(original, doc, fields, xmpp)
                                      : disable_edits(original, doc, fields);
  std::string text = apply(original, edits);

  // A shape this patcher got wrong must never be written.
  if (auto problem = read_back_problem(text, xmpp); !problem.empty()) {
    return {"", fmt::format("meetgate cannot patch this file safely (after patching: {}): "
                            "set jicofo.authentication by hand",
                            problem)};
  }
  return {std::move(text), ""};
}

std::string jicofo_block(const config::XmppSettings& xmpp) {
  if (!xmpp.enable_auth)
    return "";
  std::string out = "jicofo.authentication {\n";
  for (const auto& setting : wanted_settings(xmpp))
    out += "  " + setting.key + " = " + setting.written + "\n";
  return out + "}\n";
}

}  // namespace meetgate::render
