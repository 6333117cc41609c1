// `meetgate render`: writes the Secure Domain config for the chosen render targets.
#include <system_error>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/prosody_setup.hpp"
#include "cli/reporting.hpp"
#include "log/logger.hpp"

namespace meetgate::cli {
namespace {

const std::vector<std::string> kAllTargets = {"prosody", "web", "jicofo", "jigasi"};

// Only the sidecar's prosodyctl config exists so far; refusing the rest up front keeps
// a render from being half-applied.
util::Problems unsupported(const config::Settings& settings,
                           const std::vector<std::string>& targets) {
  util::Problems problems;
  if (settings.layout != "docker-jitsi-meet") {
    problems.push_back({"MEETGATE_LAYOUT", fmt::format("layout \"{}\" is not available in this "
                                                       "version: use docker-jitsi-meet",
                                                       settings.layout)});
  }
  for (const auto& target : targets) {
    if (target != "prosody") {
      problems.push_back({"MEETGATE_RENDER", fmt::format("render target \"{}\" is not available "
                                                         "in this version: use --only prosody",
                                                         target)});
    }
  }
  return problems;
}

}  // namespace

int run_render(const CommandLine& line, const config::Environment& environment) {
  auto settings = load_checked_settings(environment);
  if (!settings)
    return kExitBadInput;

  const auto targets = settings->render_targets.value_or(kAllTargets);
  if (auto problems = unsupported(*settings, targets); !problems.empty()) {
    print_problems(problems);
    return kExitBadInput;
  }

  try {
    const auto outcome = render_prosody_target(*settings, line.dry_run);
    const std::string path = settings->prosody_config.string();
    if (outcome.result == ProsodyRender::Result::kForeign) {
      log::warn("render_skipped", {{"target", "prosody"},
                                   {"path", path},
                                   {"reason", "not written by meetgate: left as it is"}});
    } else if (line.dry_run) {
      fmt::print("{}", outcome.diff);
    } else {
      const bool written = outcome.result == ProsodyRender::Result::kWritten;
      log::info(written ? "render_written" : "render_unchanged",
                {{"target", "prosody"}, {"path", path}});
    }
  } catch (const std::system_error& error) {
    print_error(error.what());
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace meetgate::cli
