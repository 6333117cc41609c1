// What one read of an inotify descriptor means for the users source: the "consume"
// step of the watcher, a pure function over the kernel's bytes so tests can feed it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meetgate::watch {

// One struct inotify_event, decoded.
struct InotifyEvent {
  int wd = -1;
  std::uint32_t mask = 0;
  std::string name;  // empty for events on the watched object itself
};

// Decodes a buffer read from an inotify descriptor. A truncated trailing record (the
// kernel never writes one) is dropped rather than read past the end.
std::vector<InotifyEvent> parse_inotify_events(std::string_view bytes);

// The watch descriptors the watcher holds and the name it cares about.
struct WatchTargets {
  int directory_wd = -1;    // the directory holding the source; -1 while it is missing
  int source_wd = -1;       // the source itself when it is a directory, else -1
  std::string source_name;  // the source's name in that directory
};

struct EventBatch {
  bool source_changed = false;  // an event on the source, ..data, ..data_tmp or inside it
  bool overflowed = false;      // the kernel dropped events (IN_Q_OVERFLOW)
  bool directory_lost = false;  // the directory watch died: removed, moved, unmounted
};

// Sorts the events of one read into what the watcher must do. Events on other names in
// the directory, and late IN_IGNORED for watches already given up, are dropped.
EventBatch consume_inotify_events(std::string_view bytes, const WatchTargets& targets);

}  // namespace meetgate::watch
