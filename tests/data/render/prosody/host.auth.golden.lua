-- Our own input in the shape of jitsi-meet-prosody's host config (not a copy).
plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }

muc_mapper_domain_base = "meet.test";

VirtualHost "meet.test"
    disable_sasl_mechanisms = { "DIGEST-MD5", "OAUTHBEARER" }
    authentication = "internal_hashed" -- do not delete me
    -- Properties below are modified by jitsi-meet-tokens package config
    ssl = {
        key = "/etc/prosody/certs/meet.test.key";
        certificate = "/etc/prosody/certs/meet.test.crt";
    }
    modules_enabled = {
        "bosh";
        "ping"; -- Enable mod_ping
        "speakerstats";
    }
    c2s_require_encryption = false

-- internal muc component
Component "conference.meet.test" "muc"
    storage = "memory"
    modules_enabled = { "muc_meeting_id" }

VirtualHost "auth.meet.test"
    authentication = "internal_hashed"
