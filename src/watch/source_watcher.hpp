// The interface the watch loop drives: wait for the users source to change, or stop.
#pragma once

#include <chrono>

namespace meetgate::watch {

enum class WaitResult {
  kChanged,  // something happened to the users source: re-read it
  kTimeout,  // nothing happened before the timeout
  kStopped,  // stop() was called, now or before
  kRescan,   // events may have been lost (queue overflow, watch re-armed): re-read it
  kNudged,   // nudge() was called: whatever the caller wanted woken for, not a change
};

// One way of noticing changes to the users source (inotify, polling). The caller
// debounces, re-reads and hashes: a kChanged may turn out to change nothing.
class SourceWatcher {
 public:
  virtual ~SourceWatcher() = default;

  // Blocks until the source may have changed, `timeout` passes or stop() is called.
  virtual WaitResult wait(std::chrono::milliseconds timeout) = 0;

  // Makes a blocked wait, and every later one, return kStopped. Async-signal-safe and
  // thread-safe, so a SIGTERM handler may call it.
  virtual void stop() = 0;

  // Makes a blocked wait, or else the next one, return kNudged once (SIGHUP: reconcile
  // now). Async-signal-safe and thread-safe.
  virtual void nudge() = 0;
};

}  // namespace meetgate::watch
