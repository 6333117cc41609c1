-- The server config of meetgate's Prosody 13 test image (docker/prosody13). Only
-- what a test server needs: c2s on 5222 without TLS (the tests log in over a
-- published port on 127.0.0.1), no s2s, no HTTP, logs on the console.
log = { { levels = { min = "info" }, to = "console" } }
c2s_ports = { 5222 }
c2s_direct_tls_ports = {}
s2s_ports = {}
component_ports = {}
http_ports = {}
https_ports = {}
modules_disabled = { "s2s"; "http"; "bosh"; "websocket" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true -- test image only

-- meetgate's render: data_path, storage, admin socket and the VirtualHosts (main
-- host internal_hashed, guest host after it, auth host).
Include "/run/meetgate/prosodyctl.cfg.lua"

-- Still the global section. The rendered file lists only what prosodyctl needs; a
-- server that lets people log in needs more. admin_shell serves meetgate's online
-- backend through the admin socket on the shared data volume.
modules_enabled = {
  "roster"; "saslauth"; "tls"; "disco"; "ping"; "posix"; "admin_shell";
}
