// How long to wait before retrying a reconcile that could not happen or did not
// converge: doubling from a first delay up to a ceiling, reset by a success.
#pragma once

#include <chrono>

namespace meetgate::keeper {

class Backoff {
 public:
  static constexpr std::chrono::milliseconds kFirst{500};
  static constexpr std::chrono::milliseconds kCeiling{30'000};

  explicit Backoff(std::chrono::milliseconds first = kFirst,
                   std::chrono::milliseconds ceiling = kCeiling)
      : first_(first), ceiling_(ceiling), next_(first) {}

  // The delay before the next retry; each call doubles the one after, up to the ceiling.
  std::chrono::milliseconds next();

  void reset() { next_ = first_; }

 private:
  std::chrono::milliseconds first_;
  std::chrono::milliseconds ceiling_;
  std::chrono::milliseconds next_;
};

}  // namespace meetgate::keeper
