// A reconcile run: current state, password checks, plan, guard, then the write-ahead
// state and the backend; what happened goes into the report and the log.
#include "reconcile/reconciler.hpp"

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "log/logger.hpp"
#include "prosody/account_file.hpp"
#include "prosody/account_store.hpp"
#include "prosody/scram.hpp"
#include "reconcile/data_lock.hpp"
#include "reconcile/managed_state.hpp"
#include "reconcile/password_checks.hpp"

namespace meetgate::reconcile {
namespace {

constexpr std::chrono::seconds kLockWait{30};

struct CurrentState {
  std::map<std::string, std::vector<prosody::StoredAccount>> accounts;  // by host
  std::map<std::string, std::set<std::string>> names;                   // by host
};

// The hosts meetgate looks at: the main domain, every host a desired account is on.
std::set<std::string> scanned_hosts(const config::Settings& settings,
                                    const std::vector<DesiredAccount>& desired) {
  std::set<std::string> hosts = {settings.xmpp.domain};
  for (const auto& account : desired)
    hosts.insert(account.host);
  return hosts;
}

CurrentState read_current(const std::filesystem::path& data_path,
                          const std::set<std::string>& hosts) {
  prosody::AccountStore store(data_path);
  CurrentState current;
  for (const auto& host : hosts) {
    util::Problems problems;
    auto accounts = store.list(host, problems);
    for (const auto& problem : problems) {
      log::warn("account_file_skipped", {{"host", host}, {"reason", problem.to_string()}});
    }
    auto& names = current.names[host];
    for (const auto& account : accounts)
      names.insert(account.username);
    current.accounts[host] = std::move(accounts);
  }
  return current;
}

std::vector<PasswordCheckItem> existing_desired(const std::vector<DesiredAccount>& desired,
                                                const CurrentState& current) {
  std::vector<PasswordCheckItem> items;
  for (int index = 0; index < static_cast<int>(desired.size()); ++index) {
    const auto& accounts = current.accounts.at(desired[index].host);
    auto it = std::lower_bound(accounts.begin(), accounts.end(), desired[index].username,
                               [](const prosody::StoredAccount& account, const std::string& name) {
                                 return account.username < name;
                               });
    if (it != accounts.end() && it->username == desired[index].username) {
      items.push_back({index, &*it});
    }
  }
  return items;
}

const char* done_event(prosody::OperationKind kind) {
  switch (kind) {
    case prosody::OperationKind::kCreate:
      return "account_created";
    case prosody::OperationKind::kUpdate:
      return "account_updated";
    case prosody::OperationKind::kDelete:
      return "account_deleted";
  }
  return "account_changed";
}

}  // namespace

Reconciler::Reconciler(const config::Settings& settings, std::filesystem::path data_path,
                       prosody::AccountBackend& backend)
    : settings_(settings), data_path_(std::move(data_path)), backend_(backend) {}

ReconcileReport Reconciler::run(const ReconcileRequest& request) {
  const auto& desired = *request.desired;
  std::optional<DataLock> lock;
  try {
    if (!request.dry_run)
      lock.emplace(data_path_, kLockWait, request.stop);
  } catch (const DataLock::Stopped&) {
    ReconcileReport stopped;
    stopped.stopped = true;
    return stopped;
  }

  // Current state: the state file, then Prosody's accounts and their passwords.
  const ManagedState managed = load_managed_state(data_path_);
  const auto hosts = scanned_hosts(settings_, desired);
  const CurrentState current = read_current(data_path_, hosts);
  // PBKDF2 is CPU work: all cores, whatever MEETGATE_JOBS allows prosodyctl.
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto checks = check_passwords(desired, existing_desired(desired, current),
                                      {cores, request.verified, request.stop});
  ReconcileReport report;
  report.managed = managed.total();
  if (request.stop.stop_requested()) {
    report.stopped = true;
    return report;
  }

  // The plan, and the guard against a source that lost most of its users by accident.
  const auto protected_names = settings_.protected_usernames();
  PlanInput input{&desired,
                  current.names,
                  checks,
                  &managed,
                  settings_.prune,
                  std::set<std::string>(protected_names.begin(), protected_names.end()),
                  {settings_.xmpp.domain}};
  for (const auto& account : desired) {
    if (!account.service)
      input.user_hosts.insert(account.host);
  }
  report.plan = make_plan(input);
  report.guard =
      check_delete_guard(report.plan, settings_.max_delete_percent, request.source_empty);
  report.unchanged = report.plan.count(Action::kUnchanged);
  report.left = report.plan.count(Action::kLeave);

  if (report.guard.tripped && !request.force) {
    log::error("delete_guard_tripped", {{"reason", report.guard.reason}});
    return report;
  }
  if (report.guard.tripped) {
    // The guard's own reason ends "nothing changed; ... --force": not true here.
    log::warn("delete_guard_overridden",
              {{"deletes", report.plan.count(Action::kDelete)}, {"reason", "--force"}});
    report.guard = {};
  }
  if (request.dry_run)
    return report;

  apply(request, managed, report);
  return report;
}

// After a create or update, the record prosodyctl wrote is checked once (one PBKDF2,
// small beside the call) and remembered, so the next pass needs no check for it. Not
// trusted blindly: a call that "succeeded" without writing must not be cached as a match.
void Reconciler::remember_password(const ReconcileRequest& request,
                                   const prosody::AccountOperation& operation) const {
  if (!request.verified || operation.kind == prosody::OperationKind::kDelete)
    return;
  const prosody::AccountStore store(data_path_);
  const auto record = store.read_record(operation.host, operation.username);
  if (!record)
    return;
  const auto parsed = prosody::parse_account_file(*record);
  if (parsed.record && prosody::check_password(*parsed.record, operation.password) ==
                           prosody::PasswordCheck::kMatches) {
    request.verified->remember({operation.username, operation.host, operation.password, "", false},
                               *record);
  }
}

// After the calls, what they did is done: a failed state write (a full disk) is
// reported beside it, not instead of it. The write-ahead state still lists every
// account created; accounts deleted meanwhile are forgotten by the next reconcile.
void Reconciler::save_final_state(const ManagedState& managed, ReconcileReport& report) const {
  try {
    save_managed_state(data_path_, managed);
  } catch (const std::exception& error) {
    report.state_error = error.what();
    log::error("state_write_failed", {{"reason", report.state_error}});
  }
}

void Reconciler::apply(const ReconcileRequest& request, ManagedState managed,
                       ReconcileReport& report) {
  const Plan& plan = report.plan;

  // Write ahead: record accounts as managed before creating them, so a crash between
  // prosodyctl and the state write can never leave an account of ours unmanaged.
  ManagedState before = managed;
  for (const auto& step : plan.steps) {
    if (step.action == Action::kCreate || step.action == Action::kUpdate ||
        step.action == Action::kAdopt || step.action == Action::kUnchanged) {
      managed.add(step.host, step.username);
    }
    if (step.action == Action::kForget)
      managed.remove(step.host, step.username);
    if (step.action == Action::kAdopt) {
      log::info("account_adopted", {{"user", step.username}, {"host", step.host}});
    }
  }
  report.adopted = plan.count(Action::kAdopt);
  if (!(managed == before))
    save_managed_state(data_path_, managed);

  // Apply; one failure never stops the others.
  const auto operations = plan.operations(*request.desired);
  const auto on_done = [&](const prosody::AccountOperation& operation,
                           const prosody::OperationResult& result) {
    if (request.on_progress)
      request.on_progress(operation, result);
    if (result.skipped) {
      // Never run: the next start plans it again. A create must not stay recorded.
      report.skipped++;
      report.stopped = true;
      if (operation.kind == prosody::OperationKind::kCreate)
        managed.remove(operation.host, operation.username);
      return;
    }
    report.calls++;
    const std::string account = operation.username + "@" + operation.host;
    if (!result.ok) {
      report.failed++;
      report.failures.push_back({account, result.reason});
      log::error("operation_failed", {{"operation", prosody::to_string(operation.kind)},
                                      {"user", operation.username},
                                      {"host", operation.host},
                                      {"reason", result.reason}});
      if (operation.kind == prosody::OperationKind::kCreate) {
        managed.remove(operation.host, operation.username);
      }
      return;
    }
    log::info(done_event(operation.kind), {{"user", operation.username}, {"host", operation.host}});
    remember_password(request, operation);
    switch (operation.kind) {
      case prosody::OperationKind::kCreate:
        report.created++;
        break;
      case prosody::OperationKind::kUpdate:
        report.updated++;
        break;
      case prosody::OperationKind::kDelete:
        report.deleted++;
        managed.remove(operation.host, operation.username);
        break;
    }
  };
  backend_.apply(operations, on_done, request.stop);
  save_final_state(managed, report);
  report.managed = managed.total();

  // prosodyctl register/unregister only touch storage: sessions already logged in keep
  // going until they disconnect. Say so, since the operator may expect a kick-out.
  const bool sessions_kept = report.deleted + report.updated > 0;
  if (sessions_kept && std::string_view(backend_.name()) == "offline") {
    log::warn("live_sessions_kept", {{"deleted", report.deleted},
                                     {"updated", report.updated},
                                     {"reason",
                                      "the offline backend cannot disconnect live "
                                      "sessions; they end when the client disconnects"}});
  }
}

}  // namespace meetgate::reconcile
