// Reads what `prosodyctl register|unregister` printed. It says little through its
// exit code: failures go to stdout, and some failures exit 0.
#pragma once

#include <chrono>
#include <string_view>

#include "prosody/account_operation.hpp"
#include "util/process.hpp"

namespace meetgate::prosody {

// Success or failure of one prosodyctl call, from exit status and output:
// - unregister of an absent account ("does not exist", nothing else) is success;
// - "Couldn't switch to Prosody user", "Permission denied", "datamanager error",
//   "Error saving to storage", or a Lua traceback are failures even with exit 0;
// - a timeout, a signal or a spawn error is a failure that says so.
// The reason is one line taken from prosodyctl's output, at most about 200 bytes; lines
// holding `password` (what was sent on stdin) are never used. `timeout` is only
// named in the reason of a call that timed out.
OperationResult classify_prosodyctl(OperationKind kind, const util::ProcessResult& result,
                                    std::string_view password = {},
                                    std::chrono::milliseconds timeout = {});

}  // namespace meetgate::prosody
