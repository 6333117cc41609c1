// Decoding inotify's records and deciding which of them concern the users source.
#include "watch/event_batch.hpp"

#include <sys/inotify.h>

#include <cstring>

namespace meetgate::watch {
namespace {

// Events that mean the watch on that object is gone or no longer on the path we want:
// IN_MOVE_SELF leaves the watch on the moved directory, not on the path.
constexpr std::uint32_t kWatchLost = IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT;

// The names in the directory that can change what the source path reads as. Kubernetes
// swaps the `..data` symlink (written first as `..data_tmp`); the source name itself
// is a symlink through it, so its own name sees no event on an update.
bool is_source_name(std::string_view name, std::string_view source_name) {
  return name == source_name || name == "..data" || name == "..data_tmp";
}

void note_directory_event(const InotifyEvent& event, const WatchTargets& targets,
                          EventBatch& batch) {
  if ((event.mask & kWatchLost) != 0)
    batch.directory_lost = true;
  if (!event.name.empty() && is_source_name(event.name, targets.source_name))
    batch.source_changed = true;
}

// Anything inside a directory source may change it, and so does losing its watch: the
// watcher then looks up what the source path is now.
void note_source_event(EventBatch& batch) {
  batch.source_changed = true;
}

}  // namespace

std::vector<InotifyEvent> parse_inotify_events(std::string_view bytes) {
  std::vector<InotifyEvent> events;
  std::size_t offset = 0;
  while (bytes.size() - offset >= sizeof(inotify_event)) {
    // memcpy: the buffer need not be aligned for inotify_event.
    inotify_event header{};
    std::memcpy(&header, bytes.data() + offset, sizeof header);
    offset += sizeof header;
    if (bytes.size() - offset < header.len)
      break;

    // The name is padded with NULs up to header.len.
    const std::string_view padded = bytes.substr(offset, header.len);
    offset += header.len;
    events.push_back({header.wd, header.mask, std::string(padded.substr(0, padded.find('\0')))});
  }
  return events;
}

EventBatch consume_inotify_events(std::string_view bytes, const WatchTargets& targets) {
  EventBatch batch;
  for (const InotifyEvent& event : parse_inotify_events(bytes)) {
    if ((event.mask & IN_Q_OVERFLOW) != 0)
      batch.overflowed = true;
    else if (event.wd == targets.directory_wd && event.wd >= 0)
      note_directory_event(event, targets, batch);
    else if (event.wd == targets.source_wd && event.wd >= 0)
      note_source_event(batch);
  }
  return batch;
}

}  // namespace meetgate::watch
