// The commands main() dispatches to. Each returns meetgate's exit code:
// 0 done, 1 some operations failed or problems found (check), 2 bad config or input.
#pragma once

#include "cli/command_line.hpp"
#include "config/environment.hpp"

namespace meetgate::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitBadInput = 2;

int run_check(const CommandLine& line, const config::Environment& environment);
int run_sync(const CommandLine& line, const config::Environment& environment);
// `watch`: 0 when stopped by SIGTERM/SIGINT; 2 bad config; 1 the daemon could not run.
int run_watch(const CommandLine& line, const config::Environment& environment);
int run_render(const CommandLine& line, const config::Environment& environment);
// `run`: CMD's exit code (or 128+signal, 126/127 when it cannot start); 2 bad config.
int run_entrypoint(const CommandLine& line, const config::Environment& environment);
int run_version();

}  // namespace meetgate::cli
