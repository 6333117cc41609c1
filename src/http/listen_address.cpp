// Strict HOST:PORT parsing with inet_pton, which never consults a resolver.
#include "http/listen_address.hpp"

#include <arpa/inet.h>

#include <charconv>

#include <fmt/format.h>

namespace meetgate::http {
namespace {

bool is_ipv4(const std::string& host) {
  in_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1;
}

bool is_ipv6(const std::string& host) {
  in6_addr address{};
  return inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string ListenAddress::to_string() const {
  if (host.find(':') != std::string::npos)
    return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

std::optional<ListenAddress> parse_listen_address(std::string_view name, std::string_view value,
                                                  util::Problems& problems) {
  auto fail = [&](std::string what) {
    problems.push_back({std::string(name), std::move(what)});
    return std::nullopt;
  };

  // Split at the last colon; an IPv6 host carries its own colons inside brackets.
  const auto colon = value.rfind(':');
  if (colon == std::string_view::npos)
    return fail(fmt::format("\"{}\" is not HOST:PORT, e.g. 0.0.0.0:9180", value));
  std::string host(value.substr(0, colon));
  const std::string_view port_text = value.substr(colon + 1);

  if (host.find(':') != std::string::npos && host.front() != '[')
    return fail(fmt::format("\"{}\": an IPv6 host goes in brackets, e.g. [::1]:9180", value));

  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed)
    host = host.substr(1, host.size() - 2);
  const bool numeric = bracketed ? is_ipv6(host) : is_ipv4(host);
  if (!numeric)
    return fail(fmt::format(
        "\"{}\": host \"{}\" is not a numeric IP address: meetgate does no name lookups, "
        "use e.g. 0.0.0.0, 127.0.0.1 or [::1]",
        value, host));

  const auto port = parse_port(port_text);
  if (!port)
    return fail(
        fmt::format("\"{}\": port \"{}\" is not a whole number from 0 to 65535", value, port_text));
  return ListenAddress{host, *port};
}

}  // namespace meetgate::http
