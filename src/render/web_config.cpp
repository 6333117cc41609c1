// Finds config.js's `hosts` object and applies the Secure Domain keys to it.
#include "render/web_config.hpp"

#include <optional>
#include <vector>

#include <fmt/format.h>

#include "render/js_object_patch.hpp"
#include "render/js_string_literal.hpp"
#include "render/js_tokens.hpp"

namespace meetgate::render {
namespace {

// One key of `hosts`: the value it must hold, or nothing when it must be absent.
struct HostsKey {
  std::string_view key;
  std::optional<std::string> value;
};

// As docker-jitsi-meet's system-config.js: authdomain with auth, anonymousdomain with
// auth and guests. Auth off removes both, leaving Jitsi Meet's defaults; hosts.domain is
// the install's own then and stays as it is.
std::vector<HostsKey> wanted_hosts(const config::XmppSettings& xmpp) {
  if (!xmpp.enable_auth)
    return {{"anonymousdomain", std::nullopt}, {"authdomain", std::nullopt}};
  std::optional<std::string> guest;
  if (xmpp.enable_guests)
    guest = xmpp.guest_domain;
  return {{"domain", xmpp.domain}, {"anonymousdomain", guest}, {"authdomain", xmpp.domain}};
}

// The '{' of `config = {` (with or without var/let/const): the object Jitsi Meet reads.
// `x.config = {`, `config == {` and `config => {` do not count.
std::optional<std::size_t> find_config_object(const JsSource& source, std::string& error) {
  std::vector<std::size_t> significant;
  for (std::size_t i = 0; i < source.tokens.size(); ++i) {
    if (!source.tokens[i].is_comment())
      significant.push_back(i);
  }

  std::vector<std::size_t> found;
  for (std::size_t k = 0; k + 2 < significant.size(); ++k) {
    const std::size_t name = significant[k], equals = significant[k + 1];
    if (source.tokens[name].kind != JsTokenKind::kIdentifier || source.text_of(name) != "config")
      continue;
    if (k > 0 && source.is_punct(significant[k - 1], '.'))
      continue;
    const char after = source.text[source.tokens[equals].end];
    if (source.is_punct(equals, '=') && after != '=' && after != '>' &&
        source.is_punct(significant[k + 2], '{'))
      found.push_back(significant[k + 2]);
  }

  if (found.empty()) {
    error = "no `var config = {` object: is this Jitsi Meet's config.js?";
    return std::nullopt;
  }
  if (found.size() > 1) {
    error = fmt::format(
        "line {}: a second `config = {{` (the first is on line {}): meetgate cannot tell "
        "which one Jitsi Meet reads",
        js_line_of(source.text, source.tokens[found[1]].begin),
        js_line_of(source.text, source.tokens[found[0]].begin));
    return std::nullopt;
  }
  return found[0];
}

// The `hosts: { ... }` object inside config, read.
JsObjectRead read_hosts(const JsSource& source, const std::string& domain) {
  JsObjectRead failed;
  auto config_open = find_config_object(source, failed.error);
  if (!config_open)
    return failed;
  JsObjectRead config = read_js_object(source, *config_open);
  if (!config.ok())
    return config;

  const auto hosts = find_js_properties(config.object, "hosts");
  const auto line_of = [&](std::size_t token) {
    return js_line_of(source.text, source.tokens[token].begin);
  };
  if (hosts.empty()) {
    failed.error = fmt::format("line {}: no hosts object in config: add `hosts: {{ domain: {} }}`",
                               line_of(*config_open), js_string_literal(domain));
  } else if (hosts.size() > 1) {
    failed.error = fmt::format(
        "line {}: a second 'hosts' in config (the first is on line {}): "
        "remove one",
        line_of(hosts[1]->first), line_of(hosts[0]->first));
  } else if (!hosts[0]->has_value || !source.is_punct(hosts[0]->value_first, '{') ||
             source.tokens[hosts[0]->value_first].match != hosts[0]->last) {
    failed.error = fmt::format(
        "line {}: 'hosts' is not an object literal: meetgate edits only "
        "`hosts: {{ ... }}`",
        line_of(hosts[0]->first));
  }
  if (!failed.ok())
    return failed;
  return read_js_object(source, hosts[0]->value_first);
}

// One key applied to `text`. The text is read again for each key, so one edit never
// has to account for the bytes another one moved.
PatchResult apply(const std::string& text, const HostsKey& wanted, const std::string& domain) {
  const JsSource source = tokenize_js(text);
  if (!source.ok())
    return {"", source.error};
  const JsObjectRead hosts = read_hosts(source, domain);
  if (!hosts.ok())
    return {"", hosts.error};

  if (wanted.value)
    return set_js_string_property(source, hosts.object, wanted.key, *wanted.value);
  return remove_js_property(source, hosts.object, wanted.key);
}

}  // namespace

PatchResult patch_web_config(std::string_view original, const config::XmppSettings& xmpp) {
  std::string text(original);
  for (const HostsKey& wanted : wanted_hosts(xmpp)) {
    PatchResult step = apply(text, wanted, xmpp.domain);
    if (!step.ok())
      return step;
    text = std::move(step.text);
  }
  return {text, ""};
}

std::string web_block(const config::XmppSettings& xmpp) {
  if (!xmpp.enable_auth)
    return "";
  std::string body;
  if (xmpp.enable_guests)
    body +=
        fmt::format("config.hosts.anonymousdomain = {};\n", js_string_literal(xmpp.guest_domain));
  body += fmt::format("config.hosts.authdomain = {};\n", js_string_literal(xmpp.domain));
  return body;
}

}  // namespace meetgate::render
