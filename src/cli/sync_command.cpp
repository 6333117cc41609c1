// `meetgate sync`: one reconcile of Prosody's accounts against the users source.
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/prosody_setup.hpp"
#include "cli/reporting.hpp"
#include "log/logger.hpp"
#include "prosody/data_directory.hpp"
#include "reconcile/desired_state.hpp"
#include "reconcile/reconciler.hpp"
#include "users/users_source.hpp"

namespace meetgate::cli {
namespace {

std::optional<users::UsersSource> load_source(const config::Settings& settings) {
  auto load = users::load_users_source(*settings.users, reconcile::configured_domains(settings));
  if (!load.source) {
    print_problems(load.problems);
    log::error("source_invalid", {{"path", settings.users->string()},
                                  {"problems", load.problems.size()},
                                  {"reason", "nothing changed"}});
  }
  return std::move(load.source);
}

void print_plan(const reconcile::ReconcileReport& report) {
  using reconcile::Action;
  for (const auto& step : report.plan.steps) {
    if (step.action == Action::kUnchanged || step.action == Action::kLeave)
      continue;
    fmt::print("{} {}@{}\n", reconcile::to_string(step.action), step.username, step.host);
  }
  fmt::print("plan: {} create, {} update, {} delete, {} adopt, {} unchanged, {} left alone\n",
             report.plan.count(Action::kCreate), report.plan.count(Action::kUpdate),
             report.plan.count(Action::kDelete), report.plan.count(Action::kAdopt),
             report.unchanged, report.left);
}

void print_summary(const reconcile::ReconcileReport& report) {
  fmt::print(
      "sync: {} created, {} updated, {} deleted, {} adopted, {} unchanged, {} failed, "
      "{} prosodyctl calls\n",
      report.created, report.updated, report.deleted, report.adopted, report.unchanged,
      report.failed, report.calls);
}

// The sidecar's prosodyctl config (rendered when meetgate owns it) and a data
// directory that prosodyctl can write to as the server would.
std::optional<std::filesystem::path> prepare_prosody(const config::Settings& settings,
                                                     bool dry_run) {
  util::Problems problems;
  auto data_path = resolve_data_path(settings, problems);
  if (data_path)
    prosody::check_data_directory(*data_path, problems);
  if (!problems.empty()) {
    print_problems(problems);
    return std::nullopt;
  }
  if (!dry_run)
    render_prosody_target(settings, false);
  return data_path;
}

}  // namespace

int run_sync(const CommandLine& line, const config::Environment& environment) {
  auto settings = load_account_settings(environment);
  if (!settings)
    return kExitBadInput;

  const auto source = load_source(*settings);
  if (!source)
    return kExitBadInput;
  const auto desired = reconcile::desired_accounts(&*source, *settings);

  try {
    const auto data_path = prepare_prosody(*settings, line.dry_run);
    if (!data_path)
      return kExitBadInput;

    const auto backend = make_backend(*settings);
    reconcile::Reconciler reconciler(*settings, *data_path, *backend);
    const auto report = reconciler.run({&desired, source->users.empty(), line.dry_run, line.force});

    // A dry run shows the plan even when the guard refuses it: that is when the
    // operator most needs to see what would have been deleted.
    if (line.dry_run)
      print_plan(report);
    if (report.guard.tripped) {
      print_error("delete guard: " + report.guard.reason);
      return kExitBadInput;
    }
    if (line.dry_run)
      return kExitOk;
    print_summary(report);
    log::info("sync_done", {{"created", report.created},
                            {"updated", report.updated},
                            {"deleted", report.deleted},
                            {"adopted", report.adopted},
                            {"failed", report.failed},
                            {"calls", report.calls}});
    if (!report.converged())
      print_problems(report.failures);
    if (!report.state_error.empty())
      print_error(report.state_error);
    return report.converged() ? kExitOk : kExitFailed;
  } catch (const std::exception& error) {
    print_error(error.what());
    return kExitFailed;
  }
}

}  // namespace meetgate::cli
