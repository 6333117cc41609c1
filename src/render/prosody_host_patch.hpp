// Render target `prosody`, debian layout: the Secure Domain in the host's config that
// jitsi-meet-prosody installs (/etc/prosody/conf.avail/<host>.cfg.lua), patched in place.
#pragma once

#include <string_view>

#include "config/settings.hpp"
#include "render/patch_result.hpp"

namespace meetgate::render {

// Auth on: the main VirtualHost gets `authentication = "internal_hashed"` and the SASL
// mechanisms Prosody 13 must not offer; with guests, a guest VirtualHost after it
// (added when missing) gets `authentication = "<guest auth type>"` and
// `c2s_require_encryption = false`. Auth off: the main host goes back to the package's
// "jitsi-anonymous"; a guest host is left as it is (nothing points at it then).
// Only the values' bytes change; a missing main VirtualHost is an error.
PatchResult patch_prosody_host(std::string_view original, const config::XmppSettings& xmpp);

}  // namespace meetgate::render
