// The render targets: which ones this version can write, and writing them. Shared by
// `render` and by `run`, which renders before it starts CMD.
#pragma once

#include <string>
#include <vector>

#include "config/settings.hpp"
#include "util/problem.hpp"

namespace meetgate::cli {

// Problems of the settings that stop a render before any file is read (jigasi without
// the password it must log in with). Warns when jigasi is told to trust any certificate.
util::Problems check_render_settings(const config::Settings& settings,
                                     const std::vector<std::string>& targets);

// Reads and patches every target's file first; when any of them fails, returns the
// problems and writes nothing. Otherwise writes each changed file atomically (mode and
// owner kept; jigasi's, which holds a password, 0640 or tighter) and logs what happened;
// with dry_run prints unified diffs (secret values hidden) and writes nothing.
// Throws std::system_error on I/O failure while writing.
util::Problems render_targets(const config::Settings& settings,
                              const std::vector<std::string>& targets, bool dry_run);

}  // namespace meetgate::cli
