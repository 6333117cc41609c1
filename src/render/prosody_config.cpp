// Renders the sidecar's prosodyctl config: the server's hosts and storage, nothing
// that would start or serve anything.
#include "render/prosody_config.hpp"

#include <cstdio>

namespace meetgate::render {

std::string lua_string(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\%03u", static_cast<unsigned>(byte));
      out += escaped;
    }
  }
  return out + "\"";
}

namespace {

std::string header() {
  std::string out{kGeneratedMarker};
  out += "\n";
  out += "-- The prosodyctl config of meetgate's account sidecar: it names the server's\n";
  out += "-- hosts and data directory so `prosodyctl register` writes the accounts the\n";
  out += "-- server reads. The server runs from its own config, in its own container;\n";
  out += "-- nothing here starts or changes it.\n";
  return out;
}

std::string globals(const ProsodyConfigInput& input) {
  std::string out = "\n";
  out += "data_path = " + lua_string(input.data_path) + "\n";
  // Prosody's own default, so a later online backend finds the running server's socket.
  out += "admin_socket = " + lua_string(input.data_path + "/prosody.sock") + "\n";
  out += "storage = \"internal\"\n";
  // prosodyctl register loads no modules; without this line `prosodyctl check config`
  // fails ("You require encryption but mod_tls is not enabled") whenever no host sets
  // c2s_require_encryption, which is the case without a guest host.
  out += "-- register loads no modules; declared so `prosodyctl check config` passes.\n";
  out += "modules_enabled = { \"tls\" }\n";
  return out;
}

std::string main_host(const ProsodyConfigInput& input) {
  std::string out = "\nVirtualHost " + lua_string(input.main_domain) + "\n";
  if (!input.enable_auth) {
    // What docker-jitsi-meet renders without ENABLE_AUTH: prosodyctl then refuses
    // accounts on this host, as the server would never let them log in.
    out += "    -- ENABLE_AUTH is off: this host is anonymous and holds no accounts\n";
    out += "    authentication = \"jitsi-anonymous\"\n";
    return out;
  }

  out += "    authentication = \"internal_hashed\"\n";
  // Prosody 13 otherwise offers mechanisms that make Jitsi's login loop.
  out += "    disable_sasl_mechanisms = { \"DIGEST-MD5\", \"OAUTHBEARER\" }\n";
  return out;
}

// Must follow the main host, as the Secure Domain how-to requires.
std::string guest_host(const ProsodyConfigInput& input) {
  std::string out = "\nVirtualHost " + lua_string(input.guest_domain) + "\n";
  out += "    authentication = " + lua_string(input.guest_auth_type) + "\n";
  out += "    c2s_require_encryption = false\n";
  return out;
}

// Service accounts (focus, jvb, jigasi) live here whatever ENABLE_AUTH says.
std::string auth_host(const ProsodyConfigInput& input) {
  std::string out = "\nVirtualHost " + lua_string(input.auth_domain) + "\n";
  out += "    authentication = \"internal_hashed\"\n";
  return out;
}

}  // namespace

std::string render_prosody_config(const ProsodyConfigInput& input) {
  std::string out = header() + globals(input) + main_host(input);
  // docker-jitsi-meet adds the guest host only when auth is on as well.
  if (input.enable_auth && input.enable_guests)
    out += guest_host(input);
  out += auth_host(input);
  return out;
}

bool is_generated_by_meetgate(std::string_view content) {
  std::string_view first_line = content.substr(0, content.find('\n'));
  if (first_line.ends_with('\r'))
    first_line.remove_suffix(1);
  return first_line == kGeneratedMarker;
}

}  // namespace meetgate::render
