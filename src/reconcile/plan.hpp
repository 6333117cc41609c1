// The plan: what one reconcile will do to each account, decided from desired state
// (users source + service accounts), current state (Prosody's storage) and the state
// file, before anything is called. Pure: no I/O, so every rule is unit-tested.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "prosody/account_operation.hpp"
#include "prosody/scram.hpp"
#include "reconcile/managed_state.hpp"

namespace meetgate::reconcile {

struct DesiredAccount {
  std::string username;  // nodeprep'd
  std::string host;
  std::string password;  // never logged
  std::string location;  // where it came from: "users.txt:3" or "JVB_AUTH_PASSWORD"
  bool service = false;  // a service account from the environment
};

enum class Action {
  kCreate,     // desired, no account
  kUpdate,     // desired, account has another (or an uncheckable) password
  kAdopt,      // desired, account already has this password: record as managed, no call
  kUnchanged,  // desired, managed, password matches: nothing to do
  kDelete,     // managed (or any, with prune all), gone from the source
  kLeave,      // exists, not desired, and not ours to delete
  kForget,     // managed but the account is gone and not desired: drop from the state
};

const char* to_string(Action action);

struct PlanStep {
  Action action = Action::kLeave;
  std::string username;
  std::string host;
  int desired_index = -1;  // into the desired list, for create/update/adopt/unchanged
};

struct Plan {
  std::vector<PlanStep> steps;  // sorted by host, then username
  size_t deletable = 0;         // accounts the prune rule could delete: the guard's base

  size_t count(Action action) const;
  // The calls this plan needs, in step order; passwords come from `desired`.
  std::vector<prosody::AccountOperation> operations(
      const std::vector<DesiredAccount>& desired) const;
};

struct PlanInput {
  const std::vector<DesiredAccount>* desired = nullptr;
  // Existing accounts per host, for every host meetgate looks at.
  std::map<std::string, std::set<std::string>> current;
  // The password check of each desired account that exists, by desired index.
  std::map<int, prosody::PasswordCheck> checks;
  const ManagedState* managed = nullptr;
  config::Prune prune = config::Prune::kManaged;
  std::set<std::string> protected_usernames;  // never deleted, on any host
  std::set<std::string> user_hosts;           // hosts where prune "all" may delete
};

Plan make_plan(const PlanInput& input);

struct GuardVerdict {
  bool tripped = false;
  std::string reason;  // says what, how many, and how to override
};

// Refuses a plan deleting more than `max_percent` of the deletable accounts, and any
// plan deleting something while the users source is empty.
GuardVerdict check_delete_guard(const Plan& plan, int max_percent, bool source_empty);

}  // namespace meetgate::reconcile
