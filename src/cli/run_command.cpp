// `meetgate run`: the container entrypoint. Renders, then execs CMD or supervises it
// as PID 1 (src/init).
#include <cstdio>
#include <system_error>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "cli/prosody_setup.hpp"
#include "cli/render_targets.hpp"
#include "cli/reporting.hpp"
#include "init/exit_status.hpp"
#include "init/launch_mode.hpp"
#include "init/launcher.hpp"
#include "init/supervisor.hpp"

namespace meetgate::cli {
namespace {

// With --users, `meetgate watch` runs beside CMD as a process of its own: its
// prosodyctl children are then its to wait for, never reaped from under it by the
// supervisor's waitpid(-1). It is this binary again, given the options run was given
// (the environment it inherits holds the rest). Empty when there is no users source.
std::optional<std::vector<std::string>> watcher_command(const CommandLine& line,
                                                        const config::Environment& environment,
                                                        const config::Settings& settings) {
  if (!settings.users)
    return std::vector<std::string>{};
  if (!load_account_settings(environment))
    return std::nullopt;

  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    print_error("--users: cannot find meetgate's own binary (/proc/self/exe: " + error.message() +
                ") to start the account watcher");
    return std::nullopt;
  }
  std::vector<std::string> command = {self.string(), "watch"};
  const std::pair<const char*, const char*> passed_on[] = {
      {"MEETGATE_USERS", "--users"},
      {"MEETGATE_PROSODY_CONFIG", "--prosody-config"},
      {"MEETGATE_DATA_PATH", "--data-path"}};
  for (const auto& [variable, option] : passed_on) {
    if (const auto it = line.overrides.find(variable); it != line.overrides.end())
      command.insert(command.end(), {option, it->second});
  }
  return command;
}

// Renders MEETGATE_RENDER / --only (none by default). Any failure stops the start.
bool render_before_start(const config::Settings& settings) {
  const auto targets = settings.render_targets.value_or(std::vector<std::string>{});
  if (targets.empty())
    return true;

  if (auto problems = check_render_settings(settings, targets); !problems.empty()) {
    print_problems(problems);
    return false;
  }
  try {
    if (auto problems = render_targets(settings, targets, false); !problems.empty()) {
      print_problems(problems);
      return false;
    }
  } catch (const std::system_error& error) {
    print_error(error.what());
    return false;
  }
  return true;
}

}  // namespace

int run_entrypoint(const CommandLine& line, const config::Environment& environment) {
  auto settings = load_checked_settings(environment);
  if (!settings)
    return kExitBadInput;
  const auto watcher = watcher_command(line, environment, *settings);
  if (!watcher || !render_before_start(*settings))
    return kExitBadInput;
  std::fflush(nullptr);  // exec would drop anything still buffered

  const auto& argv = line.program;
  if (init::choose_launch_mode(settings->exec, argv.front()) == init::LaunchMode::kExec) {
    // Nothing would be left to keep the accounts: say so rather than start without.
    if (!watcher->empty()) {
      print_error("--users: exec mode replaces meetgate with " + argv.front() +
                  ", leaving nothing to keep the accounts: run `meetgate watch` as a sidecar, "
                  "or drop --exec / MEETGATE_EXEC");
      return kExitBadInput;
    }
    const int error = init::exec_in_place(argv);
    print_error(init::exec_failure_message(argv.front(), error));
    return init::exit_code_from_exec_error(error);
  }

  try {
    const auto outcome =
        init::supervise({argv, settings->stop_grace, settings->signal_group, *watcher});
    if (!outcome.error.empty())
      print_error(outcome.error);
    return outcome.exit_code;
  } catch (const std::system_error& error) {
    print_error(error.what());
    return kExitFailed;
  }
}

}  // namespace meetgate::cli
