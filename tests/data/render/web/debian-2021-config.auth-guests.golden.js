/* eslint-disable no-unused-vars, no-var */

// meetgate's own test input in the shape of config.js from 2021: no SSI lines, and the
// last key of hosts without a trailing comma, so adding after it needs one.

var config = {
    // Where to connect.
    //

    hosts: {
        // The XMPP domain.
        domain: 'meet.example.com',

        // The MUC domain.
        muc: 'conference.meet.example.com',
        anonymousdomain: 'guest.meet.example.com',
        authdomain: 'meet.example.com'
    },

    // The BOSH URL.
    bosh: '//meet.example.com/http-bind',

    testing: {
        p2pTestMode: false
    }
};
