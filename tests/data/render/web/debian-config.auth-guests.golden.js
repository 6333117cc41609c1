/* eslint-disable no-var */

// meetgate's own test input, in the shape of the config.js Debian's jitsi-meet-web-config
// installs as /etc/jitsi/meet/<host>-config.js: nginx fills in the SSI strings below.

var subdir = '<!--# echo var="subdir" default="" -->';
var subdomain = '<!--# echo var="subdomain" default="" -->';

if (subdomain) {
    subdomain = subdomain.substr(0, subdomain.length - 1).split('.').join('_') + '.';
}

// Without SSI the strings above are left as they are.
if (subdir.startsWith('<!--')) {
    subdir = '';
}
if (subdomain.startsWith('<!--')) {
    subdomain = '';
}

var config = {
    // Where to connect.
    //

    hosts: {
        // The XMPP domain.
        domain: 'meet.example.com',

        // Guests log in here when the main domain needs a password.
        // anonymousdomain: 'guest.example.com',
        anonymousdomain: 'guest.meet.example.com',

        // Users with a password log in here (the default is `domain`).
        // authdomain: 'meet.example.com',
        authdomain: 'meet.example.com',

        // The MUC domain; the {braces} and "quotes" in here are not structure.
        muc: 'conference.' + subdomain + 'meet.example.com', // hosts: { not: 'this' }
    },

    /* An old setting, kept as a comment:
    hosts: { domain: 'old.example.com' },
    */
    bosh: 'https://meet.example.com/' + subdir + 'http-bind',

    websocket: `wss://meet.example.com/${subdir}xmpp-websocket`,

    testing: {
        hosts: { domain: 'nested.example.com' },
        pattern: /[{}'"`]+\//g,
        ratio: 4 / 2,
    },

    toolbarButtons: [ 'microphone', 'camera', 'hangup' ],
};

if (config.testing.ratio === 2) {
    config.deploymentInfo = {};
}
