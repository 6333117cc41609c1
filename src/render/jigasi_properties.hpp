// Render target `jigasi`: the XMPP account Jigasi joins conferences with under a
// Secure Domain, patched into Debian's /etc/jitsi/jigasi/sip-communicator.properties,
// or written as the block meetgate owns in docker-jitsi-meet's
// custom-sip-communicator.properties.
#pragma once

#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "render/patch_result.hpp"

namespace meetgate::render {

inline constexpr std::string_view kJigasiUserIdKey = "org.jitsi.jigasi.xmpp.acc.USER_ID";
inline constexpr std::string_view kJigasiPassKey = "org.jitsi.jigasi.xmpp.acc.PASS";
inline constexpr std::string_view kJigasiAnonymousAuthKey =
    "org.jitsi.jigasi.xmpp.acc.ANONYMOUS_AUTH";
// The how-to's debugging switch: Jigasi then trusts any certificate.
inline constexpr std::string_view kJigasiAlwaysTrustKey =
    "net.java.sip.communicator.service.gui.ALWAYS_TRUST_MODE_ENABLED";

// Why the settings cannot be rendered for Jigasi, or "" when they can: with auth on and
// guests off Jigasi logs in with a password, so JIGASI_XMPP_PASSWORD must be set.
// Never contains the password.
std::string jigasi_settings_problem(const config::XmppSettings& xmpp);

// Debian layout. Auth on, as docker-jitsi-meet writes it: guests off, USER_ID
// <jigasi user>@<auth domain>, PASS (plain text, escaped for .properties) and
// ANONYMOUS_AUTH=false; guests on, USER_ID <jigasi user>@<guest domain>,
// ANONYMOUS_AUTH=true and PASS when a password is set. Auth off: those keys removed.
// kJigasiAlwaysTrustKey=true only when `trust_all_certificates`, removed otherwise.
// A key already there has its value replaced in place; a missing one goes after the
// template's commented-out line for it (`# org.jitsi.jigasi.xmpp.acc.USER_ID=...`),
// else at the end. Errors: jigasi_settings_problem, or a malformed \u escape.
PatchResult patch_jigasi_properties(std::string_view original, const config::XmppSettings& xmpp,
                                    bool trust_all_certificates);

// docker-jitsi-meet layout: the body of meetgate's block in
// custom-sip-communicator.properties, which the image appends to the file Jigasi reads
// (later keys win). The same keys as above; without a password, no PASS line (check
// jigasi_settings_problem first). Empty when there is nothing to set.
std::string jigasi_block(const config::XmppSettings& xmpp, bool trust_all_certificates);

}  // namespace meetgate::render
