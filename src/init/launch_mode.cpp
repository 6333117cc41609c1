// The choice between exec and supervise (see launch_mode.hpp).
#include "init/launch_mode.hpp"

namespace meetgate::init {

bool is_init_program(std::string_view program) {
  const auto slash = program.rfind('/');
  const auto name = slash == std::string_view::npos ? program : program.substr(slash + 1);
  return name == "init";
}

LaunchMode choose_launch_mode(bool exec_requested, std::string_view program) {
  return exec_requested || is_init_program(program) ? LaunchMode::kExec : LaunchMode::kSupervise;
}

}  // namespace meetgate::init
