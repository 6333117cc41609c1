// Doubling delays with a ceiling.
#include "keeper/backoff.hpp"

#include <algorithm>

namespace meetgate::keeper {

std::chrono::milliseconds Backoff::next() {
  const auto delay = next_;
  next_ = std::min(next_ * 2, ceiling_);
  return delay;
}

}  // namespace meetgate::keeper
