// The processes whose parent is us, read from /proc: what is left to kill when CMD
// is gone (its orphans are reparented to us as PID 1 or as a child subreaper).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace meetgate::init {

// The parent pid (4th field) of a /proc/<pid>/stat line. The command name in
// parentheses may hold spaces and ')', so the fields start after the last ')'.
std::optional<pid_t> parent_from_stat(std::string_view stat);

// The pids under proc_root whose parent is `parent`, ascending. Processes that vanish
// while we read are skipped.
std::vector<pid_t> children_of(pid_t parent, const std::filesystem::path& proc_root = "/proc");

}  // namespace meetgate::init
