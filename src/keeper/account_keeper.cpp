// A pass: source -> (skip when unchanged) -> data directory -> reconcile -> health,
// metrics and one log line saying what happened.
#include "keeper/account_keeper.hpp"

#include "log/logger.hpp"
#include "prosody/data_directory.hpp"
#include "reconcile/desired_state.hpp"

namespace meetgate::keeper {
namespace {

using Clock = std::chrono::steady_clock;
using http::ReconcileResult;

http::ProsodyctlOperation metric_operation(prosody::OperationKind kind) {
  switch (kind) {
    case prosody::OperationKind::kCreate:
      return http::ProsodyctlOperation::kCreate;
    case prosody::OperationKind::kUpdate:
      return http::ProsodyctlOperation::kUpdate;
    case prosody::OperationKind::kDelete:
      return http::ProsodyctlOperation::kDelete;
  }
  return http::ProsodyctlOperation::kUpdate;
}

std::string problems_text(const util::Problems& problems) {
  std::string text;
  for (const auto& problem : problems)
    text += (text.empty() ? "" : "; ") + problem.to_string();
  return text;
}

}  // namespace

const char* to_string(Trigger trigger) {
  switch (trigger) {
    case Trigger::kStart:
      return "start";
    case Trigger::kChange:
      return "change";
    case Trigger::kResync:
      return "resync";
    case Trigger::kSignal:
      return "signal";
    case Trigger::kRetry:
      return "retry";
  }
  return "unknown";
}

AccountKeeper::AccountKeeper(const config::Settings& settings, std::filesystem::path data_path,
                             prosody::AccountBackend& backend, http::Health& health,
                             http::MeetgateMetrics& metrics)
    : settings_(settings),
      users_path_(settings.users.value_or("")),
      data_path_(std::move(data_path)),
      backend_(backend),
      health_(health),
      metrics_(metrics) {}

PassResult AccountKeeper::pass(Trigger trigger, std::stop_token stop) {
  const auto source = read_source();
  if (!source)
    return source_missing_ ? PassResult::kSourceMissing : PassResult::kSourceInvalid;

  // A change event whose content is what was applied last (an editor's touch, the
  // kubelet's own bookkeeping, a rewrite with the same users) needs nothing.
  if (trigger == Trigger::kChange && applied_hash_ == source->content_hash) {
    log::debug("source_unchanged", {{"path", users_path_.string()}});
    return PassResult::kNoChange;
  }
  if (!data_directory_ready())
    return PassResult::kRetry;
  return reconcile(*source, trigger, stop);
}

// The source, or nothing when it is missing or invalid: then health says why and
// nothing is touched, so a half-written or vanished file never costs an account.
std::optional<users::UsersSource> AccountKeeper::read_source() {
  auto load = users::load_users_source(users_path_, reconcile::configured_domains(settings_));
  if (load.missing) {
    health_.source_invalid("users source missing: " + users_path_.string());
    if (!source_missing_) {
      source_missing_ = true;
      metrics_.source_error();
      log::warn("source_missing", {{"path", users_path_.string()},
                                   {"reason", "nothing is deleted while it is missing"}});
    }
    return std::nullopt;
  }
  if (source_missing_)
    log::info("source_found", {{"path", users_path_.string()}});
  source_missing_ = false;

  if (!load.source) {
    const auto reason = problems_text(load.problems);
    health_.source_invalid("users source invalid: " + reason);
    metrics_.source_error();
    metrics_.reconcile_finished(ReconcileResult::kInvalidSource, std::chrono::duration<double>(0));
    log::error("source_invalid", {{"path", users_path_.string()},
                                  {"problems", load.problems.size()},
                                  {"reason", reason},
                                  {"kept", "the last good state"}});
    return std::nullopt;
  }
  health_.source_valid();
  return std::move(load.source);
}

// Prosody's data directory (the server container may still be starting): not ready
// and retried with backoff while it is missing or unusable.
bool AccountKeeper::data_directory_ready() {
  util::Problems problems;
  prosody::check_data_directory(data_path_, problems);
  if (problems.empty()) {
    if (data_waiting_) {
      log::info("data_directory_ready", {{"path", data_path_.string()}});
      health_.reconcile_blocked("");  // what blocked readiness is gone; the pass decides
    }
    data_waiting_ = false;
    return true;
  }

  const auto reason = problems_text(problems);
  health_.reconcile_blocked("waiting for Prosody's data directory: " + reason);
  if (!data_waiting_)
    log::warn("data_directory_waiting", {{"path", data_path_.string()}, {"reason", reason}});
  data_waiting_ = true;
  return false;
}

PassResult AccountKeeper::reconcile(const users::UsersSource& source, Trigger trigger,
                                    std::stop_token stop) {
  const auto desired = reconcile::desired_accounts(&source, settings_);
  metrics_.set_desired_accounts(desired.size());
  verified_.retain(desired);

  reconcile::ReconcileRequest request{&desired, source.users.empty()};
  request.verified = &verified_;
  request.stop = stop;
  request.on_progress = [this](const prosody::AccountOperation& operation,
                               const prosody::OperationResult& result) {
    health_.heartbeat();
    if (!result.skipped) {
      metrics_.prosodyctl_call(metric_operation(operation.kind),
                               result.ok ? http::CallResult::kOk : http::CallResult::kFailed);
    }
  };

  const auto started = Clock::now();
  try {
    reconcile::Reconciler reconciler(settings_, data_path_, backend_);
    const auto report = reconciler.run(request);
    return record(report, source.content_hash, trigger, Clock::now() - started);
  } catch (const std::exception& error) {
    // The state file or the lock could not be had: nothing was changed.
    metrics_.reconcile_finished(ReconcileResult::kFailed, Clock::now() - started);
    log::error("reconcile_failed", {{"trigger", to_string(trigger)}, {"reason", error.what()}});
    return PassResult::kRetry;
  }
}

// Health, metrics and the log line for one reconcile; what the loop does next.
PassResult AccountKeeper::record(const reconcile::ReconcileReport& report, const std::string& hash,
                                 Trigger trigger, std::chrono::duration<double> took) {
  if (report.guard.tripped) {
    // Refused until the source changes: the same content would be refused again.
    applied_hash_ = hash;
    metrics_.delete_guard_tripped();
    metrics_.reconcile_finished(ReconcileResult::kRefused, took);
    health_.reconcile_blocked("delete guard: " + report.guard.reason);
    return PassResult::kRefused;
  }

  const auto milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(took);
  log::info("reconcile_done", {{"trigger", to_string(trigger)},
                               {"created", report.created},
                               {"updated", report.updated},
                               {"deleted", report.deleted},
                               {"adopted", report.adopted},
                               {"unchanged", report.unchanged},
                               {"failed", report.failed},
                               {"skipped", report.skipped},
                               {"calls", report.calls},
                               {"duration_ms", milliseconds.count()}});
  if (report.stopped)
    return PassResult::kStopped;

  metrics_.set_managed_accounts(report.managed);
  if (!report.converged()) {
    metrics_.reconcile_finished(ReconcileResult::kFailed, took);
    return PassResult::kRetry;
  }
  applied_hash_ = hash;
  metrics_.reconcile_finished(ReconcileResult::kOk, took);
  health_.reconcile_succeeded();
  return PassResult::kApplied;
}

}  // namespace meetgate::keeper
