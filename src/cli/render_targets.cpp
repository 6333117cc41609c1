// Checking and rendering the render targets (see render_targets.hpp).
#include "cli/render_targets.hpp"

#include <fmt/format.h>

#include "cli/prosody_setup.hpp"
#include "log/logger.hpp"

namespace meetgate::cli {
namespace {

// The sidecar's prosodyctl config: left alone when the server's own file is there.
void render_prosody(const config::Settings& settings, bool dry_run) {
  const auto outcome = render_prosody_target(settings, dry_run);
  const std::string path = settings.prosody_config.string();
  if (outcome.result == ProsodyRender::Result::kForeign) {
    log::warn("render_skipped", {{"target", "prosody"},
                                 {"path", path},
                                 {"reason", "not written by meetgate: left as it is"}});
  } else if (dry_run) {
    fmt::print("{}", outcome.diff);
  } else {
    const bool written = outcome.result == ProsodyRender::Result::kWritten;
    log::info(written ? "render_written" : "render_unchanged",
              {{"target", "prosody"}, {"path", path}});
  }
}

}  // namespace

util::Problems unsupported_render(const config::Settings& settings,
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

void render_targets(const config::Settings& settings, const std::vector<std::string>& targets,
                    bool dry_run) {
  for (const auto& target : targets) {
    if (target == "prosody")
      render_prosody(settings, dry_run);
  }
}

}  // namespace meetgate::cli
