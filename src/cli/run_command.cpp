// `meetgate run`: the container entrypoint. Renders, then execs CMD or supervises it
// as PID 1 (src/init).
#include <cstdio>
#include <system_error>

#include "cli/commands.hpp"
#include "cli/render_targets.hpp"
#include "cli/reporting.hpp"
#include "init/exit_status.hpp"
#include "init/launch_mode.hpp"
#include "init/launcher.hpp"
#include "init/supervisor.hpp"

namespace meetgate::cli {
namespace {

// The account watcher (--users) is not part of this version; starting CMD without the
// accounts it was asked to keep would look like success, so refuse instead.
bool refuse_watcher(const config::Settings& settings) {
  if (!settings.users)
    return false;
  print_error(
      "MEETGATE_USERS: the in-process watcher is not available in this version: "
      "leave --users and MEETGATE_USERS unset for run, and use `meetgate sync`");
  return true;
}

// Renders MEETGATE_RENDER / --only (none by default). Any failure stops the start.
bool render_before_start(const config::Settings& settings) {
  const auto targets = settings.render_targets.value_or(std::vector<std::string>{});
  if (targets.empty())
    return true;

  if (auto problems = unsupported_render(settings, targets); !problems.empty()) {
    print_problems(problems);
    return false;
  }
  try {
    render_targets(settings, targets, false);
  } catch (const std::system_error& error) {
    print_error(error.what());
    return false;
  }
  return true;
}

}  // namespace

int run_entrypoint(const CommandLine& line, const config::Environment& environment) {
  auto settings = load_checked_settings(environment);
  if (!settings || refuse_watcher(*settings) || !render_before_start(*settings))
    return kExitBadInput;
  std::fflush(nullptr);  // exec would drop anything still buffered

  const auto& argv = line.program;
  if (init::choose_launch_mode(settings->exec, argv.front()) == init::LaunchMode::kExec) {
    const int error = init::exec_in_place(argv);
    print_error(init::exec_failure_message(argv.front(), error));
    return init::exit_code_from_exec_error(error);
  }

  try {
    const auto outcome = init::supervise({argv, settings->stop_grace, settings->signal_group});
    if (!outcome.error.empty())
      print_error(outcome.error);
    return outcome.exit_code;
  } catch (const std::system_error& error) {
    print_error(error.what());
    return kExitFailed;
  }
}

}  // namespace meetgate::cli
