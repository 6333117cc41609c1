// Whether run replaces itself with CMD (exec) or stays as PID 1 and supervises it.
#pragma once

#include <string_view>

namespace meetgate::init {

enum class LaunchMode { kExec, kSupervise };

// True when the program is an init that insists on being PID 1 itself: s6-overlay's
// /init (docker-jitsi-meet's images) refuses to run as anyone's child.
bool is_init_program(std::string_view program);

// kExec when asked to (--exec, MEETGATE_EXEC) or when the program is an init.
LaunchMode choose_launch_mode(bool exec_requested, std::string_view program);

}  // namespace meetgate::init
