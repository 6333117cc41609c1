// Which signals run passes on to CMD, and how: to CMD's process group by default so
// a shell's children hear `docker stop` too, or to CMD alone (MEETGATE_SIGNAL_GROUP=0).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <array>

namespace meetgate::init {

inline constexpr std::array kForwardedSignals = {SIGTERM, SIGINT,  SIGQUIT, SIGHUP,
                                                 SIGUSR1, SIGUSR2, SIGWINCH};

// TERM and INT start a stop: CMD gets the grace period, then SIGKILL.
bool is_stop_signal(int sig);

// Sends `sig` to CMD's process group (CMD leads it), or to CMD alone.
void forward_signal(pid_t child, int sig, bool to_group);

}  // namespace meetgate::init
