// The message for running out of inotify instances or watches: names the kernel limit,
// how to raise it, and the polling fallback.
#pragma once

#include <string>

namespace meetgate::watch {

// `operation` is what failed ("inotify_init1", "inotify_add_watch /config"); `error`
// the errno: EMFILE names fs.inotify.max_user_instances, ENOSPC
// fs.inotify.max_user_watches, anything else just the OS reason.
std::string inotify_error_text(const std::string& operation, int error);

}  // namespace meetgate::watch
