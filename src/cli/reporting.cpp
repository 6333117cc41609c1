#include "cli/reporting.hpp"

#include <fmt/format.h>

#include "log/logger.hpp"

namespace meetgate::cli {

void print_error(std::string_view message) {
  fmt::print(stderr, "meetgate: error: {}\n", message);
}

void print_problems(const util::Problems& problems) {
  for (const auto& problem : problems)
    print_error(problem.to_string());
}

std::optional<config::Settings> load_checked_settings(const config::Environment& environment) {
  auto load = config::load_settings(environment);
  log::configure(log::parse_level(load.settings.log_level),
                 log::parse_format(load.settings.log_format));
  if (!load.problems.empty()) {
    print_problems(load.problems);
    return std::nullopt;
  }
  return load.settings;
}

}  // namespace meetgate::cli
