// Sections of a Prosody config (VirtualHost / Component statements at the top level),
// the assignments in them, and edits that touch only the bytes they must.
#include "render/prosody_host_patch.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "render/lua_tokens.hpp"
#include "render/prosody_config.hpp"

namespace meetgate::render {
namespace {

using Kind = LuaToken::Kind;

struct Section {
  std::string kind;  // VirtualHost or Component
  std::string name;  // its host
  size_t first = 0;  // token index of the keyword
  size_t last = 0;   // one past its last token
};

struct Edit {
  size_t begin = 0;
  size_t end = 0;
  std::string text;
};

class HostPatcher {
 public:
  HostPatcher(std::string_view source, LuaLex lex) : source_(source), lex_(std::move(lex)) {
    eol_ = source_.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
    find_sections();
  }

  const Section* section(std::string_view kind, std::string_view name) const {
    for (const auto& found : sections_) {
      if (found.kind == kind && found.name == name)
        return &found;
    }
    return nullptr;
  }

  size_t count(std::string_view kind, std::string_view name) const {
    return static_cast<size_t>(std::count_if(sections_.begin(), sections_.end(), [&](auto& s) {
      return s.kind == kind && s.name == name;
    }));
  }

  // Sets `name = value` in the section: the old value's bytes replaced, or a new line
  // under the section's header. Refused (error_ set) when the key is there twice, or
  // its value is an expression whose first token alone is not the whole value.
  void set(const Section& in, std::string_view name, const std::string& value) {
    const auto found = find(in, name);
    if (!error_.empty())
      return;
    if (found) {
      if (source_.substr(found->first, found->second - found->first) == value)
        return;
      // A value written against the next name (`x="a"y=1` is Lua) needs a blank after
      // it, or `false` would run into that name and make one token of both.
      const bool touching =
          found->second < source_.size() && is_lua_name_char(source_[found->second]);
      edits_.push_back({found->first, found->second, touching ? value + " " : value});
      return;
    }
    const size_t at = line_end_after(lex_.tokens[in.first + 1].end);
    if (!ends_before_next_section(in, at))
      return;

    // The new line stands alone only when what follows starts a statement: a '-' or '('
    // there would continue its value, and the next run would refuse the file.
    const auto& tokens = lex_.tokens;
    const auto next = static_cast<size_t>(
        std::partition_point(tokens.begin(), tokens.end(),
                             [at](const LuaToken& token) { return token.begin < at; }) -
        tokens.begin());
    if (next < tokens.size() && tokens[next].depth != 0) {
      fail(tokens[in.first].line,
           fmt::format("{} \"{}\" leaves a bracket open on its line: meetgate cannot add {} "
                       "inside it; give settings as lines of their own under the header",
                       in.kind, in.name, name));
      return;
    }
    if (!ends_value(next, tokens.size())) {
      fail(tokens[next].line,
           fmt::format("'{}' continues the statement before it: meetgate cannot add {} to {} "
                       "\"{}\" there",
                       tokens[next].text(source_), name, in.kind, in.name));
      return;
    }
    edits_.push_back(
        {at, at, fmt::format("{}{}{} = {}{}", missing_eol(at), indent(in), name, value, eol_)});
  }

  // The bytes of `name`'s value in the section, or nothing when it is not set there.
  std::optional<std::pair<size_t, size_t>> find(const Section& in, std::string_view name) {
    const auto& tokens = lex_.tokens;
    std::optional<std::pair<size_t, size_t>> found;
    for (size_t i = in.first + 2; i < in.last; ++i) {
      if (tokens[i].depth != 0 || tokens[i].kind != Kind::kName ||
          tokens[i].text(source_) != name || i + 1 >= in.last || tokens[i + 1].text(source_) != "=")
        continue;
      if (found) {
        fail(tokens[i].line,
             fmt::format("{} is set twice in {} \"{}\": keep one", name, in.kind, in.name));
        return std::nullopt;
      }
      found = value_span(i, in.last);
      if (!found)
        return std::nullopt;
    }
    return found;
  }

  std::optional<std::string_view> value_text(const Section& in, std::string_view name) {
    const auto span = find(in, name);
    if (!span)
      return std::nullopt;
    return source_.substr(span->first, span->second - span->first);
  }

  const std::string& error() const { return error_; }

  // A new section after `after`: at the end of the line of its last token.
  void add_section_after(const Section& after, const std::string& text) {
    const size_t at = line_end_after(lex_.tokens[after.last - 1].end);
    if (!ends_before_next_section(after, at))
      return;
    edits_.push_back({at, at, missing_eol(at) + eol_ + text});
  }

  std::string_view eol() const { return eol_; }

  std::string apply() {
    // From the end backwards, so offsets stay valid; two inserts at one place keep the
    // order they were made in (the later one is applied first, then pushed after).
    std::string text(source_);
    std::vector<size_t> order(edits_.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::sort(order.begin(), order.end(), [this](size_t a, size_t b) {
      return std::tie(edits_[a].begin, a) > std::tie(edits_[b].begin, b);
    });
    for (size_t i : order)
      text.replace(edits_[i].begin, edits_[i].end - edits_[i].begin, edits_[i].text);
    return text;
  }

 private:
  void find_sections() {
    const auto& tokens = lex_.tokens;
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
      const auto word = tokens[i].text(source_);
      if (tokens[i].depth != 0 || tokens[i].kind != Kind::kName ||
          (word != "VirtualHost" && word != "Component") || tokens[i + 1].kind != Kind::kString)
        continue;
      if (!sections_.empty())
        sections_.back().last = i;
      sections_.push_back({std::string(word), lua_string_value(tokens[i + 1].text(source_)), i, 0});
    }
    if (!sections_.empty())
      sections_.back().last = tokens.size();
  }

  // The bytes of the value assigned by the `name =` at token `key`: a literal (string,
  // number, true/false/nil) or a balanced table, joined with `..` operands. Anything
  // more (a call, `or`, an index) is refused: replacing its first token would leave
  // the rest of the expression behind and break the file.
  std::optional<std::pair<size_t, size_t>> value_span(size_t key, size_t limit) {
    const auto& tokens = lex_.tokens;
    const int line = tokens[key].line;
    const auto name = tokens[key].text(source_);
    size_t i = key + 2;
    auto take_operand = [&]() -> bool {
      if (i >= limit)
        return false;
      const auto text = tokens[i].text(source_);
      const bool literal = tokens[i].kind == Kind::kString || tokens[i].kind == Kind::kNumber ||
                           text == "true" || text == "false" || text == "nil";
      if (!literal && text != "{")
        return false;
      const int depth = tokens[i].depth;
      ++i;
      while (text == "{" && i < limit && tokens[i].depth > depth)
        ++i;
      if (text == "{")
        ++i;  // the closing brace, back at `depth`
      return true;
    };
    bool plain = take_operand();
    while (plain && i < limit && tokens[i].text(source_) == "..") {
      ++i;
      plain = take_operand();
    }
    if (!plain || !ends_value(i, limit)) {
      fail(line, fmt::format("the value of {} is an expression meetgate cannot rewrite safely: "
                             "make it a plain value",
                             name));
      return std::nullopt;
    }
    return std::pair{tokens[key + 2].begin, tokens[i - 1].end};
  }

  // Lines are added after a whole line; they stay in section `in` only when the next
  // section starts on a later line, else they would be read as the next one's settings.
  bool ends_before_next_section(const Section& in, size_t at) {
    const auto& tokens = lex_.tokens;
    if (in.last >= tokens.size() || tokens[in.last].begin >= at)
      return true;
    fail(tokens[in.last].line,
         fmt::format("{} \"{}\" and the {} after it share a line: put each on a line of its own",
                     in.kind, in.name, tokens[in.last].text(source_)));
    return false;
  }

  // Whether token `i` (none when `i` is `limit`) may follow a whole value: a ';' or a
  // name starting the next statement. Anything else would continue the expression.
  bool ends_value(size_t i, size_t limit) const {
    if (i >= limit)
      return true;
    const auto text = lex_.tokens[i].text(source_);
    return text == ";" || (lex_.tokens[i].kind == Kind::kName && text != "and" && text != "or");
  }

  void fail(int line, const std::string& what) {
    if (error_.empty())
      error_ = fmt::format("line {}: {}", line, what);
  }

  // A line break to write first when inserting at the end of a last line without one.
  std::string missing_eol(size_t at) const {
    return at == source_.size() && !source_.empty() && source_.back() != '\n' ? eol_ : "";
  }

  // Just after the line break that ends the line holding `offset`; a long comment or a
  // string (`[[...]]`, or quoted with a `\` line break) running over that break moves it
  // to the end of the comment's or string's last line.
  size_t line_end_after(size_t offset) const {
    size_t at = offset;
    for (;;) {
      const size_t newline = source_.find('\n', at);
      if (newline == std::string_view::npos)
        return source_.size();
      const auto spanning =
          std::find_if(lex_.comments.begin(), lex_.comments.end(), [newline](const auto& comment) {
            return comment.first <= newline && newline < comment.second;
          });
      const auto string =
          std::find_if(lex_.tokens.begin(), lex_.tokens.end(), [newline](const LuaToken& token) {
            return token.begin <= newline && newline < token.end;
          });
      if (spanning != lex_.comments.end())
        at = spanning->second;
      else if (string != lex_.tokens.end())
        at = string->end;
      else
        return newline + 1;
    }
  }

  // The indentation of the section's first assignment line, else four spaces.
  std::string indent(const Section& in) const {
    if (in.first + 2 >= in.last)
      return "    ";
    const size_t line_start = source_.rfind('\n', lex_.tokens[in.first + 2].begin);
    const size_t from = line_start == std::string_view::npos ? 0 : line_start + 1;
    const auto prefix = source_.substr(from, lex_.tokens[in.first + 2].begin - from);
    if (prefix.find_first_not_of(" \t") != std::string_view::npos)
      return "    ";
    return std::string(prefix);
  }

  std::string_view source_;
  LuaLex lex_;
  std::string eol_;
  std::vector<Section> sections_;
  std::vector<Edit> edits_;
  std::string error_;
};

PatchResult finish(HostPatcher& patcher) {
  if (!patcher.error().empty())
    return {"", patcher.error()};
  return {patcher.apply(), ""};
}

}  // namespace

PatchResult patch_prosody_host(std::string_view original, const config::XmppSettings& xmpp) {
  auto lex = lex_lua(original);
  if (!lex.error.empty())
    return {"", lex.error};
  HostPatcher patcher(original, std::move(lex));

  const Section* main = patcher.section("VirtualHost", xmpp.domain);
  if (!main) {
    return {"", fmt::format("no VirtualHost \"{}\": not the config of XMPP_DOMAIN={} (set "
                            "MEETGATE_PROSODY_FILE to that host's file)",
                            xmpp.domain, xmpp.domain)};
  }
  if (patcher.count("VirtualHost", xmpp.domain) > 1)
    return {"", fmt::format("VirtualHost \"{}\" is defined twice: keep one", xmpp.domain)};

  // Auth off: undo only what meetgate sets; an anonymous provider of any name stays.
  if (!xmpp.enable_auth) {
    const auto current = patcher.value_text(*main, "authentication");
    if (current && *current == lua_string("internal_hashed"))
      patcher.set(*main, "authentication", lua_string("jitsi-anonymous"));
    return finish(patcher);
  }
  patcher.set(*main, "authentication", lua_string("internal_hashed"));
  patcher.set(*main, "disable_sasl_mechanisms",
              "{ " + lua_string("DIGEST-MD5") + ", " + lua_string("OAUTHBEARER") + " }");
  if (!xmpp.enable_guests)
    return finish(patcher);

  const auto guest_auth = lua_string(xmpp.guest_auth_type);
  if (const Section* guest = patcher.section("VirtualHost", xmpp.guest_domain)) {
    patcher.set(*guest, "authentication", guest_auth);
    patcher.set(*guest, "c2s_require_encryption", "false");
  } else {
    const auto eol = patcher.eol();
    patcher.add_section_after(
        *main, fmt::format("VirtualHost {}{}    authentication = {}{}    c2s_require_encryption = "
                           "false{}",
                           lua_string(xmpp.guest_domain), eol, guest_auth, eol, eol));
  }
  return finish(patcher);
}

}  // namespace meetgate::render
