// `meetgate version`: what was built, for bug reports.
#include <fmt/format.h>

#include "build_info.hpp"
#include "cli/commands.hpp"

namespace meetgate::cli {

int run_version() {
  fmt::print("meetgate {}\nbuild: {}, {}\n", kVersion, kBuildType, kCompiler);
  return kExitOk;
}

}  // namespace meetgate::cli
