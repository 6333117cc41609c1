// Render target `jicofo`: the Secure Domain's `jicofo.authentication` settings, patched
// into Debian's /etc/jitsi/jicofo/jicofo.conf, or written as the block meetgate owns in
// docker-jitsi-meet's custom-jicofo.conf.
#pragma once

#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "render/patch_result.hpp"

namespace meetgate::render {

// Debian layout. Auth on: sets `enabled`, `type` (JWT when the Jicofo auth type is
// "jwt", else XMPP, as docker-jitsi-meet maps it), `login-url` (the main domain),
// `enable-auto-login` and `authentication-lifetime` under `jicofo.authentication`. A
// key already set, in nested or dotted form, has its value replaced in place (only when
// it reads differently); a missing one goes into the existing `authentication` object,
// else into a new one at the end of the one `jicofo` block, else into a new `jicofo`
// block at the end of the file. Auth off: those keys are removed, and an
// `authentication` or `jicofo` object left empty by that goes too.
// Errors: text Typesafe Config would refuse, two top-level `jicofo` blocks, or
// `jicofo` / `jicofo.authentication` set to something other than an object.
PatchResult patch_jicofo_config(std::string_view original, const config::XmppSettings& xmpp);

// docker-jitsi-meet layout: the body of meetgate's block in custom-jicofo.conf, which
// the image's jicofo.conf includes at its end, so these values win. Empty when auth is
// off.
std::string jicofo_block(const config::XmppSettings& xmpp);

}  // namespace meetgate::render
