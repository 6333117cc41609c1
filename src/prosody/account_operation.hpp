// One change to one Prosody account, and what came of it.
#pragma once

#include <string>

namespace meetgate::prosody {

enum class OperationKind { kCreate, kUpdate, kDelete };

const char* to_string(OperationKind kind);  // "create", "update", "delete"

struct AccountOperation {
  OperationKind kind = OperationKind::kCreate;
  std::string username;  // nodeprep'd
  std::string host;
  std::string password;  // create and update only; never logged
};

struct OperationResult {
  bool ok = false;
  std::string reason;    // why it failed, from prosodyctl's output; never a secret
  bool skipped = false;  // never started: meetgate was asked to stop first
};

}  // namespace meetgate::prosody
