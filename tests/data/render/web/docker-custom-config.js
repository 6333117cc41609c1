// meetgate's own test input: an operator's /config/custom-config.js.
config.p2p = { enabled: false };
