// Prosody's stringprep profiles, through libidn: what `prosodyctl register` does to
// a username (nodeprep) and to a password before hashing it (SASLprep).
#pragma once

#include <string>
#include <string_view>

namespace meetgate::prosody {

struct PrepResult {
  std::string value;  // the prepared string, valid when `error` is empty
  std::string error;  // why the input is refused, e.g. "contains a space"
  bool ok() const { return error.empty(); }
};

// XMPP nodeprep with unassigned code points refused, exactly as Prosody stores the
// account name: "Alice" -> "alice", "ß" -> "ss". Refuses what Prosody refuses
// (space, " & ' / : < > @, controls, unassigned code points), the empty name, and
// names whose account file name would pass Prosody's 255-byte limit.
PrepResult nodeprep(std::string_view username);

// SASLprep (RFC 4013, unassigned code points refused), as Prosody applies it to a
// password before PBKDF2. Refuses controls and other prohibited characters.
PrepResult saslprep(std::string_view password);

}  // namespace meetgate::prosody
