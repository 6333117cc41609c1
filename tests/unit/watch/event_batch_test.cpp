// Tests for the consume step: synthetic inotify_event buffers, sorted into a batch.
#include "watch/event_batch.hpp"

#include <errno.h>
#include <sys/inotify.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "watch/inotify_limits.hpp"

using meetgate::watch::consume_inotify_events;
using meetgate::watch::parse_inotify_events;
using meetgate::watch::WatchTargets;

namespace {

constexpr int kDirectory = 1;
constexpr int kSource = 2;

// One record as the kernel writes it: header, then the name padded with NULs.
std::string record(int wd, std::uint32_t mask, const std::string& name = "") {
  const std::uint32_t padded = name.empty() ? 0 : (name.size() / 16 + 1) * 16;
  inotify_event header{wd, mask, 0, padded};
  std::string bytes(reinterpret_cast<const char*>(&header), sizeof header);
  bytes += name;
  bytes.append(padded - name.size(), '\0');
  return bytes;
}

WatchTargets file_targets() {
  return {kDirectory, -1, "users.txt"};
}

}  // namespace

TEST_CASE("event batch: records are decoded with their padded names") {
  const auto bytes = record(kDirectory, IN_CREATE, "users.txt") + record(kSource, IN_IGNORED);

  const auto events = parse_inotify_events(bytes);

  REQUIRE(events.size() == 2);
  CHECK(events[0].wd == kDirectory);
  CHECK(events[0].mask == IN_CREATE);
  CHECK(events[0].name == "users.txt");
  CHECK(events[1].name.empty());
}

TEST_CASE("event batch: a truncated record is dropped") {
  const auto bytes = record(kDirectory, IN_CREATE, "a") + record(kDirectory, IN_CREATE, "b");

  CHECK(parse_inotify_events(bytes.substr(0, bytes.size() - 3)).size() == 1);
}

TEST_CASE("event batch: the source name, ..data and ..data_tmp are changes") {
  for (const std::string name : {"users.txt", "..data", "..data_tmp"}) {
    const auto batch =
        consume_inotify_events(record(kDirectory, IN_MOVED_TO, name), file_targets());

    CHECK(batch.source_changed);
    CHECK_FALSE(batch.directory_lost);
  }
}

TEST_CASE("event batch: other names in the directory are ignored") {
  const auto bytes = record(kDirectory, IN_CREATE, "users.txt.swp") +
                     record(kDirectory, IN_CREATE, "..2026_12_03_14_40_05.1");

  const auto batch = consume_inotify_events(bytes, file_targets());

  CHECK_FALSE(batch.source_changed);
}

TEST_CASE("event batch: queue overflow asks for a rescan") {
  const auto batch = consume_inotify_events(record(-1, IN_Q_OVERFLOW), file_targets());

  CHECK(batch.overflowed);
}

TEST_CASE("event batch: the directory's watch ending is a loss") {
  for (const std::uint32_t mask : {IN_DELETE_SELF, IN_MOVE_SELF, IN_IGNORED, IN_UNMOUNT}) {
    const auto batch = consume_inotify_events(record(kDirectory, mask), file_targets());

    CHECK(batch.directory_lost);
  }
}

TEST_CASE("event batch: anything inside a directory source is a change") {
  const WatchTargets targets{kDirectory, kSource, "users.d"};

  const auto added = consume_inotify_events(record(kSource, IN_CLOSE_WRITE, "bob.txt"), targets);
  const auto gone = consume_inotify_events(record(kSource, IN_DELETE_SELF), targets);

  CHECK(added.source_changed);
  CHECK(gone.source_changed);
  CHECK_FALSE(gone.directory_lost);
}

TEST_CASE("event batch: late events for watches given up are dropped") {
  const auto batch = consume_inotify_events(
      record(7, IN_IGNORED) + record(7, IN_CREATE, "users.txt"), file_targets());

  CHECK_FALSE(batch.source_changed);
  CHECK_FALSE(batch.directory_lost);
}

TEST_CASE("inotify limits: the errors name the sysctl and the polling fallback") {
  CHECK(meetgate::watch::inotify_error_text("watch /config", ENOSPC) ==
        "watch /config: too many inotify watches (fs.inotify.max_user_watches): raise it with "
        "`sysctl -w fs.inotify.max_user_watches=524288` on the host, or set "
        "MEETGATE_WATCH=poll");
  CHECK(meetgate::watch::inotify_error_text("inotify_init1", EMFILE) ==
        "inotify_init1: too many inotify instances (fs.inotify.max_user_instances): raise it "
        "with `sysctl -w fs.inotify.max_user_instances=1024` on the host, or set "
        "MEETGATE_WATCH=poll");
  CHECK(meetgate::watch::inotify_error_text("watch /config", EACCES) ==
        "watch /config: permission denied");
}
