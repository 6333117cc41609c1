// Forwarding signals to CMD (see signal_forwarding.hpp).
#include "init/signal_forwarding.hpp"

namespace meetgate::init {

bool is_stop_signal(int sig) {
  return sig == SIGTERM || sig == SIGINT;
}

void forward_signal(pid_t child, int sig, bool to_group) {
  // CMD is not reaped before the loop ends, so neither its pid nor its group id can
  // have been reused by the time we signal them.
  ::kill(to_group ? -child : child, sig);
}

}  // namespace meetgate::init
