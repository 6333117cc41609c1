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

std::string lua_quoted(std::string_view value) {
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

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
  // under the section's header.
  void set(const Section& in, std::string_view name, const std::string& value) {
    const auto& tokens = lex_.tokens;
    for (size_t i = in.first + 2; i + 1 < in.last; ++i) {
      if (tokens[i].depth != 0 || tokens[i].kind != Kind::kName ||
          tokens[i].text(source_) != name || tokens[i + 1].text(source_) != "=")
        continue;
      const auto [begin, end] = value_span(i + 2, in.last);
      if (source_.substr(begin, end - begin) != value)
        edits_.push_back({begin, end, value});
      return;
    }
    const size_t at = line_end_after(tokens[in.first + 1].end);
    edits_.push_back(
        {at, at, fmt::format("{}{}{} = {}{}", missing_eol(at), indent(in), name, value, eol_)});
  }

  // A new section after `after`: at the end of the line of its last token.
  void add_section_after(const Section& after, const std::string& text) {
    const size_t at = line_end_after(lex_.tokens[after.last - 1].end);
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

  // The bytes of the value that starts at token `first`: one token or a balanced table,
  // joined with following `..` operands.
  std::pair<size_t, size_t> value_span(size_t first, size_t limit) const {
    const auto& tokens = lex_.tokens;
    size_t i = first;
    auto take_operand = [&] {
      const int depth = tokens[i].depth;
      const bool opens = tokens[i].text(source_) == "{" || tokens[i].text(source_) == "(";
      ++i;
      while (opens && i < limit && tokens[i].depth > depth)
        ++i;
      if (opens && i < limit)
        ++i;  // the closing bracket, back at `depth`
    };
    take_operand();
    while (i + 1 < limit && tokens[i].text(source_) == "..") {
      ++i;
      take_operand();
    }
    return {tokens[first].begin, tokens[i - 1].end};
  }

  // A line break to write first when inserting at the end of a last line without one.
  std::string missing_eol(size_t at) const {
    return at == source_.size() && !source_.empty() && source_.back() != '\n' ? eol_ : "";
  }

  size_t line_end_after(size_t offset) const {
    const size_t newline = source_.find('\n', offset);
    return newline == std::string_view::npos ? source_.size() : newline + 1;
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
};

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

  if (!xmpp.enable_auth) {
    patcher.set(*main, "authentication", lua_quoted("jitsi-anonymous"));
    return {patcher.apply(), ""};
  }
  patcher.set(*main, "authentication", lua_quoted("internal_hashed"));
  patcher.set(*main, "disable_sasl_mechanisms",
              "{ " + lua_quoted("DIGEST-MD5") + ", " + lua_quoted("OAUTHBEARER") + " }");
  if (!xmpp.enable_guests)
    return {patcher.apply(), ""};

  const auto guest_auth = lua_quoted(xmpp.guest_auth_type);
  if (const Section* guest = patcher.section("VirtualHost", xmpp.guest_domain)) {
    patcher.set(*guest, "authentication", guest_auth);
    patcher.set(*guest, "c2s_require_encryption", "false");
  } else {
    const auto eol = patcher.eol();
    patcher.add_section_after(
        *main, fmt::format("VirtualHost {}{}    authentication = {}{}    c2s_require_encryption = "
                           "false{}",
                           lua_quoted(xmpp.guest_domain), eol, guest_auth, eol, eol));
  }
  return {patcher.apply(), ""};
}

}  // namespace meetgate::render
