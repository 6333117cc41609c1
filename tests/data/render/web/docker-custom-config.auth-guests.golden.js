// meetgate's own test input: an operator's /config/custom-config.js.
config.p2p = { enabled: false };
// BEGIN meetgate: generated, edits here are lost
config.hosts.anonymousdomain = 'guest.meet.jitsi';
config.hosts.authdomain = 'meet.jitsi';
// END meetgate
