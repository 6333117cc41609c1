// Names of account operations, as they appear in logs, metrics and plans.
#include "prosody/account_operation.hpp"

namespace meetgate::prosody {

const char* to_string(OperationKind kind) {
  switch (kind) {
    case OperationKind::kCreate:
      return "create";
    case OperationKind::kUpdate:
      return "update";
    case OperationKind::kDelete:
      return "delete";
  }
  return "unknown";
}

}  // namespace meetgate::prosody
