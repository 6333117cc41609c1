// The metric names, help texts and label values meetgate exposes on /metrics.
#include "http/meetgate_metrics.hpp"

#include "build_info.hpp"

namespace meetgate::http {
namespace {

// From a no-op reconcile (milliseconds) to thousands of offline prosodyctl calls
// at about 25 ms each (minutes).
const std::vector<double> kDurationBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                             2.5,   5,    10,    30,   60,  120,  300};

const char* label(ReconcileResult result) {
  switch (result) {
    case ReconcileResult::kOk:
      return "ok";
    case ReconcileResult::kFailed:
      return "failed";
    case ReconcileResult::kRefused:
      return "refused";
    case ReconcileResult::kInvalidSource:
      return "invalid_source";
  }
  return "unknown";
}

const char* label(ProsodyctlOperation operation) {
  switch (operation) {
    case ProsodyctlOperation::kCreate:
      return "create";
    case ProsodyctlOperation::kUpdate:
      return "update";
    case ProsodyctlOperation::kDelete:
      return "delete";
  }
  return "unknown";
}

const char* label(CallResult result) {
  return result == CallResult::kOk ? "ok" : "failed";
}

}  // namespace

MeetgateMetrics::MeetgateMetrics()
    : reconciles_(registry_.add_counter("meetgate_reconciles_total",
                                        "Reconciles finished, by result.", {"result"})),
      reconcile_duration_(registry_.add_histogram("meetgate_reconcile_duration_seconds",
                                                  "Time a reconcile took, by result.", {"result"},
                                                  kDurationBounds)),
      desired_accounts_(registry_.add_gauge(
          "meetgate_desired_accounts", "Accounts in the users source at the last valid read.")),
      managed_accounts_(registry_.add_gauge("meetgate_managed_accounts",
                                            "Accounts meetgate manages in Prosody.")),
      prosodyctl_calls_(registry_.add_counter("meetgate_prosodyctl_calls_total",
                                              "Account operations sent to prosodyctl.",
                                              {"operation", "result"})),
      source_errors_(
          registry_.add_counter("meetgate_source_errors_total",
                                "Reads of the users source that failed or were invalid.")),
      delete_guard_trips_(registry_.add_counter("meetgate_delete_guard_trips_total",
                                                "Plans refused because they deleted too many.")),
      watch_events_(registry_.add_counter("meetgate_watch_events_total",
                                          "File system events that may have changed the source.")),
      last_success_(registry_.add_gauge("meetgate_last_success_timestamp_seconds",
                                        "When the last successful reconcile finished.")),
      build_info_(registry_.add_gauge("meetgate_build_info", "meetgate's version.", {"version"})) {
  // Every series exists from the start, so rate() and alerts see zeros, not gaps.
  for (auto result : {ReconcileResult::kOk, ReconcileResult::kFailed, ReconcileResult::kRefused,
                      ReconcileResult::kInvalidSource})
    reconciles_.increment({label(result)}, 0);
  for (auto operation :
       {ProsodyctlOperation::kCreate, ProsodyctlOperation::kUpdate, ProsodyctlOperation::kDelete})
    for (auto result : {CallResult::kOk, CallResult::kFailed})
      prosodyctl_calls_.increment({label(operation), label(result)}, 0);
  source_errors_.increment({}, 0);
  delete_guard_trips_.increment({}, 0);
  watch_events_.increment({}, 0);

  desired_accounts_.set(0);
  managed_accounts_.set(0);
  last_success_.set(0);
  build_info_.set(1, {kVersion});
}

void MeetgateMetrics::reconcile_finished(ReconcileResult result,
                                         std::chrono::duration<double> duration,
                                         std::chrono::system_clock::time_point finished_at) {
  reconciles_.increment({label(result)});
  reconcile_duration_.observe(duration.count(), {label(result)});

  if (result == ReconcileResult::kOk) {
    const std::chrono::duration<double> since_epoch = finished_at.time_since_epoch();
    last_success_.set(since_epoch.count());
  }
}

void MeetgateMetrics::set_desired_accounts(std::size_t count) {
  desired_accounts_.set(static_cast<double>(count));
}

void MeetgateMetrics::set_managed_accounts(std::size_t count) {
  managed_accounts_.set(static_cast<double>(count));
}

void MeetgateMetrics::prosodyctl_call(ProsodyctlOperation operation, CallResult result) {
  prosodyctl_calls_.increment({label(operation), label(result)});
}

void MeetgateMetrics::source_error() {
  source_errors_.increment();
}

void MeetgateMetrics::delete_guard_tripped() {
  delete_guard_trips_.increment();
}

void MeetgateMetrics::watch_event() {
  watch_events_.increment();
}

std::string MeetgateMetrics::render() const {
  return registry_.render();
}

}  // namespace meetgate::http
