// Setting and removing Jigasi's XMPP account keys in a sip-communicator.properties,
// byte for byte everywhere else.
#include "render/jigasi_properties.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "render/properties_document.hpp"

namespace meetgate::render {
namespace {

struct Wanted {
  std::string_view key;
  std::optional<std::string> value;  // nullopt: the key must not be there
  int group;                         // keys written together: 0 the account, 1 trust
};

bool has_password(const config::XmppSettings& xmpp) {
  return xmpp.jigasi_password.has_value() && !xmpp.jigasi_password->empty();
}

// docker-jitsi-meet's sipserver-sip-communicator.properties under ENABLE_AUTH: with
// guests Jigasi joins anonymously on the guest domain, else it logs in on the auth
// domain. (The template also writes ALLOW_NON_SECURE=true, which lets the XMPP
// connection go without TLS; no step of the Secure Domain needs that, so it is left
// to the image's own template and to the operator.)
std::vector<Wanted> wanted_keys(const config::XmppSettings& xmpp, bool trust_all) {
  std::vector<Wanted> keys = {{kJigasiUserIdKey, std::nullopt, 0},
                              {kJigasiPassKey, std::nullopt, 0},
                              {kJigasiAnonymousAuthKey, std::nullopt, 0},
                              {kJigasiAlwaysTrustKey, std::nullopt, 1}};
  if (xmpp.enable_auth) {
    const auto& domain = xmpp.enable_guests ? xmpp.guest_domain : xmpp.auth_domain;
    keys[0].value = xmpp.jigasi_user + "@" + domain;
    if (has_password(xmpp))
      keys[1].value = *xmpp.jigasi_password;
    keys[2].value = xmpp.enable_guests ? "true" : "false";
  }
  if (trust_all)
    keys[3].value = "true";
  return keys;
}

struct Edit {
  size_t begin;
  size_t end;
  std::string text;
};

std::string apply(std::string_view original, std::vector<Edit> edits) {
  // An insertion goes before a removal or replacement starting at the same byte.
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::string out;
  size_t at = 0;
  for (const auto& edit : edits) {
    out += original.substr(at, edit.begin - at);
    out += edit.text;
    at = edit.end;
  }
  out += original.substr(at);
  return out;
}

std::string line_break_of(std::string_view text) {
  const size_t at = text.find_first_of("\r\n");
  if (at == std::string_view::npos || text[at] == '\n')
    return "\n";
  return at + 1 < text.size() && text[at + 1] == '\n' ? "\r\n" : "\r";
}

// A comment that is the key commented out: `# key=...`, as the Debian template has.
bool comments_out(const PropertiesComment& comment, std::string_view key) {
  if (!comment.text.starts_with(key))
    return false;
  const auto rest = std::string_view(comment.text).substr(key.size());
  return rest.empty() || rest.find_first_of("=: \t\f") == 0;
}

// Where a group's missing keys go: after the group's last key in the file, else after
// the last commented-out line of one of them, else at the end.
size_t insertion_point(std::string_view text, const PropertiesDocument& doc,
                       const std::vector<Wanted>& group, bool& continues) {
  continues = false;
  size_t at = std::string_view::npos;
  for (const auto& entry : doc.entries) {
    const bool kept = std::any_of(group.begin(), group.end(), [&](const Wanted& w) {
      return w.key == entry.key && w.value.has_value();
    });
    if (kept) {
      at = entry.end;
      continues = entry.continues_at_end;
    }
  }
  if (at != std::string_view::npos)
    return at;
  for (const auto& comment : doc.comments) {
    if (std::any_of(group.begin(), group.end(),
                    [&](const Wanted& w) { return comments_out(comment, w.key); }))
      at = comment.end;
  }
  if (at != std::string_view::npos)
    return at;
  continues = !doc.entries.empty() && doc.entries.back().continues_at_end;
  return text.size();
}

Edit insertion(std::string_view text, const PropertiesDocument& doc,
               const std::vector<Wanted>& group, const std::vector<Wanted>& missing) {
  const std::string eol = line_break_of(text);
  bool continues = false;
  const size_t at = insertion_point(text, doc, group, continues);
  std::string out;
  if (at > 0 && text[at - 1] != '\n' && text[at - 1] != '\r')
    out += eol;
  // A blank line ends a value whose last line continues into the next.
  if (continues)
    out += eol;
  for (const auto& wanted : missing)
    out += fmt::format("{}={}{}", wanted.key, properties_escaped(*wanted.value), eol);
  return {at, at, out};
}

std::vector<Edit> edits_for(std::string_view text, const PropertiesDocument& doc,
                            const std::vector<Wanted>& keys) {
  std::vector<Edit> edits;
  std::vector<Wanted> missing[2];
  for (const auto& wanted : keys) {
    bool found = false;
    for (const auto& entry : doc.entries) {
      if (entry.key != wanted.key)
        continue;
      found = true;
      if (!wanted.value) {
        edits.push_back({entry.begin, entry.end, ""});
      } else if (entry.value != *wanted.value || !entry.ascii) {
        const std::string separator = entry.bare_key ? "=" : "";
        edits.push_back(
            {entry.value_begin, entry.value_end, separator + properties_escaped(*wanted.value)});
      }
    }
    if (!found && wanted.value)
      missing[wanted.group].push_back(wanted);
  }

  for (int group = 0; group < 2; ++group) {
    if (missing[group].empty())
      continue;
    std::vector<Wanted> members;
    std::copy_if(keys.begin(), keys.end(), std::back_inserter(members),
                 [&](const Wanted& w) { return w.group == group; });
    edits.push_back(insertion(text, doc, members, missing[group]));
  }
  return edits;
}

// Reads the result back as Properties would: the last of each key is the one in force.
std::string read_back_problem(std::string_view text, const std::vector<Wanted>& keys) {
  const auto doc = parse_properties(text);
  if (!doc.ok())
    return doc.error;
  for (const auto& wanted : keys) {
    const PropertiesEntry* last = nullptr;
    for (const auto& entry : doc.entries) {
      if (entry.key == wanted.key)
        last = &entry;
    }
    const bool right =
        wanted.value ? last != nullptr && last->value == *wanted.value : last == nullptr;
    if (!right)
      return fmt::format("{} would not read as intended", wanted.key);
  }
  return "";
}

}  // namespace

std::string jigasi_settings_problem(const config::XmppSettings& xmpp) {
  if (!xmpp.enable_auth || xmpp.enable_guests || has_password(xmpp))
    return "";
  return fmt::format(
      "JIGASI_XMPP_PASSWORD is not set: with ENABLE_AUTH on and ENABLE_GUESTS "
      "off Jigasi logs in as {}@{} and needs that account's password",
      xmpp.jigasi_user, xmpp.auth_domain);
}

PatchResult patch_jigasi_properties(std::string_view original, const config::XmppSettings& xmpp,
                                    bool trust_all_certificates) {
  if (auto problem = jigasi_settings_problem(xmpp); !problem.empty())
    return {"", problem};
  const auto doc = parse_properties(original);
  if (!doc.ok())
    return {"", doc.error};

  const auto keys = wanted_keys(xmpp, trust_all_certificates);
  std::string text = apply(original, edits_for(original, doc, keys));

  // A shape this patcher got wrong must never be written.
  if (auto problem = read_back_problem(text, keys); !problem.empty()) {
    return {"", fmt::format("meetgate cannot patch this file safely (after patching: {}): "
                            "set the keys by hand",
                            problem)};
  }
  return {std::move(text), ""};
}

std::string jigasi_block(const config::XmppSettings& xmpp, bool trust_all_certificates) {
  std::string out;
  for (const auto& wanted : wanted_keys(xmpp, trust_all_certificates)) {
    if (wanted.value)
      out += fmt::format("{}={}\n", wanted.key, properties_escaped(*wanted.value));
  }
  return out;
}

}  // namespace meetgate::render
