// How commands tell the operator about problems: one line each on stderr, all at once,
// "meetgate: error: <where>: <what>".
#pragma once

#include <optional>
#include <string_view>

#include "config/environment.hpp"
#include "config/settings.hpp"
#include "util/problem.hpp"

namespace meetgate::cli {

void print_problems(const util::Problems& problems);
void print_error(std::string_view message);

// Settings with the command line's options applied; prints every problem and returns
// nullopt when there are any. Also configures logging from LOG_LEVEL and LOG_FORMAT.
std::optional<config::Settings> load_checked_settings(const config::Environment& environment);

}  // namespace meetgate::cli
