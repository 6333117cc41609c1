// `meetgate render`: writes the Secure Domain config for the chosen render targets.
#include <system_error>

#include "cli/commands.hpp"
#include "cli/render_targets.hpp"
#include "cli/reporting.hpp"

namespace meetgate::cli {
namespace {

const std::vector<std::string> kAllTargets = {"prosody", "web", "jicofo", "jigasi"};

}  // namespace

int run_render(const CommandLine& line, const config::Environment& environment) {
  auto settings = load_checked_settings(environment);
  if (!settings)
    return kExitBadInput;

  const auto targets = settings->render_targets.value_or(kAllTargets);
  if (auto problems = check_render_settings(*settings, targets); !problems.empty()) {
    print_problems(problems);
    return kExitBadInput;
  }

  try {
    if (auto problems = render_targets(*settings, targets, line.dry_run); !problems.empty()) {
      print_problems(problems);
      return kExitBadInput;
    }
  } catch (const std::system_error& error) {
    print_error(error.what());
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace meetgate::cli
