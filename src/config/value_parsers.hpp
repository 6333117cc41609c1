// Strict parsers for environment values. Each names the variable and the value it
// refuses, because a lenient parser is how `ENABLE_AUTH=no` turns auth on upstream.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/problem.hpp"

namespace meetgate::config {

// 1/0 true/false yes/no on/off, any case.
std::optional<bool> parse_bool(std::string_view name, std::string_view value,
                               util::Problems& problems);

// A whole number of 250ms, 10s, 5m or 1h; zero or negative is refused.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view name,
                                                        std::string_view value,
                                                        util::Problems& problems);

// A decimal integer within [min, max].
std::optional<long> parse_integer(std::string_view name, std::string_view value, long min, long max,
                                  util::Problems& problems);

// One of `choices`, compared case-insensitively; returns the choice as spelled there.
std::optional<std::string> parse_choice(std::string_view name, std::string_view value,
                                        const std::vector<std::string>& choices,
                                        util::Problems& problems);

// A DNS host name as XMPP domains must be: labels of [a-z0-9-] (any case), 1 to 63
// characters, not starting or ending with '-', at most 253 characters in all.
bool is_valid_host_name(std::string_view name);

}  // namespace meetgate::config
