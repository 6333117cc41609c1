// The address the HTTP server listens on, parsed from MEETGATE_HTTP_ADDR ("HOST:PORT").
// Only numeric hosts: a static binary has no NSS modules, so no name lookups at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/problem.hpp"

namespace meetgate::http {

struct ListenAddress {
  std::string host;    // numeric IPv4 ("0.0.0.0") or IPv6 without brackets ("::1")
  std::uint16_t port;  // 0 lets the kernel choose (tests)

  // "host:port", with brackets around an IPv6 host.
  std::string to_string() const;
};

// "127.0.0.1:9180", "0.0.0.0:0", "[::1]:9180", "[::]:9180". A host name, a missing
// port or a port out of range adds a problem for `name` and returns nothing.
std::optional<ListenAddress> parse_listen_address(std::string_view name, std::string_view value,
                                                  util::Problems& problems);

}  // namespace meetgate::http
