// Reaping: as PID 1 or a child subreaper we inherit every orphan below us, and each
// must be waited for or it stays a zombie.
#pragma once

#include <sys/types.h>

#include <map>
#include <vector>

namespace meetgate::init {

// Waits for every child that has ended, without blocking. Returns the wait status of
// those among `watched` that ended (CMD, the account watcher); the rest are orphans.
std::map<pid_t, int> reap_ended_children(const std::vector<pid_t>& watched);

// SIGKILLs every process whose parent is us (a snapshot of /proc). Returns how many
// there were; zero means nothing is left below us.
size_t kill_children();

// Makes us the reaper of our descendants' orphans when we are not PID 1 (which is
// one already). Returns false when the kernel refused.
bool become_subreaper();

}  // namespace meetgate::init
