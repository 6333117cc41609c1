// meetgate's own test input: an operator already followed the Secure Domain how-to by
// hand, with double quotes and an old guest domain.
var config = {
    hosts: {
        domain: "meet.example.com",
        anonymousdomain: "guest.old.example.com", // added by hand
        authdomain: "meet.example.com",
        muc: "conference.meet.example.com"
    },
    bosh: "//meet.example.com/http-bind"
};
