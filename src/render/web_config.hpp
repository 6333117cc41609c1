// Render target `web`: the Secure Domain keys of Jitsi Meet's config.js, `hosts.domain`,
// `hosts.anonymousdomain` and `hosts.authdomain`, set as docker-jitsi-meet's web image
// sets them (web/rootfs/defaults/system-config.js):
//   ENABLE_AUTH on:                 authdomain = XMPP_DOMAIN
//   ENABLE_AUTH and ENABLE_GUESTS:  anonymousdomain = XMPP_GUEST_DOMAIN
// (docker-jitsi-meet's ENABLE_AUTH_DOMAIN, default on, has no meetgate setting: always on.)
#pragma once

#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "render/patch_result.hpp"

namespace meetgate::render {

// Debian layout: patches /etc/jitsi/meet/<host>-config.js inside `var config = { hosts:
// { ... } }`. Auth on: domain, authdomain and (with guests) anonymousdomain hold the
// configured domains. Without guests, anonymousdomain is removed; with auth off, both
// anonymousdomain and authdomain are removed (Jitsi Meet's defaults then apply: no guest
// login, authdomain = domain), and domain is left as it is: it is the install's own.
// Every other byte is kept. No `config` object, no `hosts` object, unbalanced brackets,
// a missing comma or a doubled key is an error naming the line.
PatchResult patch_web_config(std::string_view original, const config::XmppSettings& xmpp);

// docker-jitsi-meet layout: the body of meetgate's block in /config/custom-config.js,
// which the web image appends to config.js after its own settings, so plain assignments
// to config.hosts (created there) win. Empty with auth off: nothing to set.
std::string web_block(const config::XmppSettings& xmpp);

}  // namespace meetgate::render
