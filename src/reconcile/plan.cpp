#include "reconcile/plan.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace meetgate::reconcile {
namespace {

using prosody::PasswordCheck;

PlanStep desired_step(const PlanInput& input, int index) {
  const DesiredAccount& account = (*input.desired)[index];
  PlanStep step{Action::kCreate, account.username, account.host, index};

  auto host = input.current.find(account.host);
  const bool exists = host != input.current.end() && host->second.count(account.username) > 0;
  if (!exists)
    return step;

  auto check = input.checks.find(index);
  const bool matches = check != input.checks.end() && check->second == PasswordCheck::kMatches;
  if (!matches) {
    step.action = Action::kUpdate;
  } else if (input.managed->contains(account.host, account.username)) {
    step.action = Action::kUnchanged;
  } else {
    step.action = Action::kAdopt;
  }
  return step;
}

// Whether the prune rule lets meetgate delete this existing account once nobody wants it.
bool deletable_by_rule(const PlanInput& input, const std::string& host,
                       const std::string& username) {
  if (input.protected_usernames.count(username) || input.prune == config::Prune::kNone) {
    return false;
  }
  const bool may_prune_all = input.prune == config::Prune::kAll && input.user_hosts.count(host);
  return may_prune_all || input.managed->contains(host, username);
}

}  // namespace

const char* to_string(Action action) {
  switch (action) {
    case Action::kCreate:
      return "create";
    case Action::kUpdate:
      return "update";
    case Action::kAdopt:
      return "adopt";
    case Action::kUnchanged:
      return "unchanged";
    case Action::kDelete:
      return "delete";
    case Action::kLeave:
      return "leave";
    case Action::kForget:
      return "forget";
  }
  return "leave";
}

size_t Plan::count(Action action) const {
  return std::count_if(steps.begin(), steps.end(),
                       [action](const PlanStep& step) { return step.action == action; });
}

std::vector<prosody::AccountOperation> Plan::operations(
    const std::vector<DesiredAccount>& desired) const {
  std::vector<prosody::AccountOperation> operations;
  for (const auto& step : steps) {
    using prosody::OperationKind;
    if (step.action == Action::kCreate || step.action == Action::kUpdate) {
      const auto kind =
          step.action == Action::kCreate ? OperationKind::kCreate : OperationKind::kUpdate;
      operations.push_back({kind, step.username, step.host, desired[step.desired_index].password});
    } else if (step.action == Action::kDelete) {
      operations.push_back({OperationKind::kDelete, step.username, step.host, {}});
    }
  }
  return operations;
}

Plan make_plan(const PlanInput& input) {
  Plan plan;
  std::set<std::pair<std::string, std::string>> wanted;

  // Every desired account gets a step.
  for (int index = 0; index < static_cast<int>(input.desired->size()); ++index) {
    const DesiredAccount& account = (*input.desired)[index];
    wanted.emplace(account.host, account.username);
    plan.steps.push_back(desired_step(input, index));
  }

  // Existing accounts nobody asked for: delete what is ours (or all, if told), else leave.
  // The guard's base counts every account the rule could delete, wanted or not.
  for (const auto& [host, usernames] : input.current) {
    for (const auto& username : usernames) {
      const bool deletable = deletable_by_rule(input, host, username);
      plan.deletable += deletable ? 1 : 0;
      if (wanted.count({host, username}))
        continue;
      plan.steps.push_back({deletable ? Action::kDelete : Action::kLeave, username, host, -1});
    }
  }

  // Managed accounts that vanished (deleted by hand, or a delete that landed before a
  // crash) are forgotten, so the state file converges too.
  for (const auto& [host, usernames] : input.managed->hosts()) {
    auto existing = input.current.find(host);
    for (const auto& username : usernames) {
      const bool exists = existing != input.current.end() && existing->second.count(username);
      if (!exists && !wanted.count({host, username}) && input.current.count(host)) {
        plan.steps.push_back({Action::kForget, username, host, -1});
      }
    }
  }

  std::sort(plan.steps.begin(), plan.steps.end(), [](const PlanStep& a, const PlanStep& b) {
    return std::tie(a.host, a.username) < std::tie(b.host, b.username);
  });
  return plan;
}

GuardVerdict check_delete_guard(const Plan& plan, int max_percent, bool source_empty) {
  const size_t deletes = plan.count(Action::kDelete);
  if (deletes == 0)
    return {};

  if (source_empty) {
    return {true, fmt::format("the users source is empty and the plan deletes {} account(s): "
                              "nothing changed; if that is really meant, run with --force",
                              deletes)};
  }
  const size_t base = std::max<size_t>(plan.deletable, 1);
  if (deletes * 100 > static_cast<size_t>(max_percent) * base) {
    return {true, fmt::format("the plan deletes {} of {} accounts ({}% > "
                              "MEETGATE_MAX_DELETE_PERCENT={}): nothing changed; check the users "
                              "source, or run with --force",
                              deletes, base, deletes * 100 / base, max_percent)};
  }
  return {};
}

}  // namespace meetgate::reconcile
