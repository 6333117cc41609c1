// `meetgate check`: validates the environment and the users source, reporting every
// problem at once, and changes nothing.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/reporting.hpp"
#include "reconcile/desired_state.hpp"
#include "users/users_source.hpp"

namespace meetgate::cli {

int run_check(const CommandLine& line, const config::Environment& environment) {
  (void)line;
  auto load = config::load_settings(environment);
  util::Problems problems = load.problems;

  // The users source is checked against the configured domains: only once they are valid,
  // or its problems would repeat the environment's ones as wrong advice.
  size_t users = 0;
  if (load.settings.users && !load.problems.empty()) {
    problems.push_back({load.settings.users->string(),
                        "not checked yet: fix the environment first, then run check again"});
  } else if (load.settings.users) {
    auto source = users::load_users_source(*load.settings.users,
                                           reconcile::configured_domains(load.settings));
    problems.insert(problems.end(), source.problems.begin(), source.problems.end());
    if (source.source)
      users = source.source->users.size();
  }

  if (!problems.empty()) {
    print_problems(problems);
    return kExitFailed;
  }
  if (load.settings.users) {
    fmt::print("meetgate: ok: environment valid, {} user(s) in {}\n", users,
               load.settings.users->string());
  } else {
    fmt::print("meetgate: ok: environment valid (no users source given)\n");
  }
  return kExitOk;
}

}  // namespace meetgate::cli
