// meetgate's own test input, in the shape of the config.js docker-jitsi-meet's web image
// writes from web/rootfs/defaults/system-config.js (ENABLE_AUTH and ENABLE_SUBDOMAINS
// off), before it appends /config/custom-config.js.
var config = {};

config.hosts = {};
config.hosts.domain = 'meet.jitsi';

config.hosts.muc = 'muc.meet.jitsi';
config.bosh = 'https://localhost:8443/http-bind';
config.websocket = 'wss://localhost:8443/xmpp-websocket';

config.bridgeChannel = {
    preferSctp: true
};
