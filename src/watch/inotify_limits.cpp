// Wording inotify's resource errors so an operator can fix them.
#include "watch/inotify_limits.hpp"

#include <errno.h>

#include "util/os_error.hpp"

namespace meetgate::watch {
namespace {

std::string limit_text(const std::string& operation, const std::string& what,
                       const std::string& sysctl, const std::string& suggested) {
  return operation + ": " + what + " (" + sysctl + "): raise it with `sysctl -w " + sysctl + "=" +
         suggested + "` on the host, or set MEETGATE_WATCH=poll";
}

}  // namespace

std::string inotify_error_text(const std::string& operation, int error) {
  // The limits are per user on the host, shared by every container of that uid.
  if (error == EMFILE)
    return limit_text(operation, "too many inotify instances", "fs.inotify.max_user_instances",
                      "1024");
  if (error == ENOSPC)
    return limit_text(operation, "too many inotify watches", "fs.inotify.max_user_watches",
                      "524288");
  return operation + ": " + util::os_reason(error);
}

}  // namespace meetgate::watch
