// A backend that records what it is asked to do, for the reconcile and keeper tests.
#pragma once

#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "prosody/account_backend.hpp"

namespace meetgate::test {

// Records what it is asked to do; fails the users named in `failing`.
class FakeBackend : public prosody::AccountBackend {
 public:
  std::vector<prosody::AccountOperation> seen;
  std::set<std::string> failing;
  std::optional<size_t> stop_after;  // request a stop once this many operations ran
  std::stop_source stop_source;

  const char* name() const override { return "fake"; }
  std::vector<prosody::OperationResult> apply(
      const std::vector<prosody::AccountOperation>& operations, const Progress& on_done,
      std::stop_token stop) override {
    std::vector<prosody::OperationResult> results;
    for (const auto& operation : operations) {
      if (stop_after && seen.size() == *stop_after)
        stop_source.request_stop();
      prosody::OperationResult result{false, "not started", true};
      if (!stop.stop_requested()) {
        seen.push_back(operation);
        result = {!failing.count(operation.username), "refused by the fake"};
      }
      on_done(operation, result);
      results.push_back(result);
    }
    return results;
  }
};

}  // namespace meetgate::test
