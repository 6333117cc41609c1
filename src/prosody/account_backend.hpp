// How account changes reach Prosody. The offline backend runs prosodyctl once per
// change; the online one (later) batches them through the admin shell.
#pragma once

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "prosody/account_operation.hpp"

namespace meetgate::prosody {

class AccountBackend {
 public:
  virtual ~AccountBackend() = default;

  virtual const char* name() const = 0;

  // Applies every operation (one failure never stops the others) and returns one
  // result per operation, in the same order. `on_done` is called as each finishes,
  // from the calling thread or a worker but never two at once, so a caller can log and
  // record progress without a lock of its own.
  //
  // Once `stop` is requested no further operation starts; those in flight finish, and
  // each one not started is reported as `skipped`, so a stop never cuts a call short.
  using Progress = std::function<void(const AccountOperation&, const OperationResult&)>;
  virtual std::vector<OperationResult> apply(const std::vector<AccountOperation>& operations,
                                             const Progress& on_done,
                                             std::stop_token stop = {}) = 0;
};

}  // namespace meetgate::prosody
