// meetgate's own metrics, recorded through typed calls so that no call site can put a
// username (or any free text) into a label: every label value comes from an enum here.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "http/metrics.hpp"

namespace meetgate::http {

enum class ReconcileResult { kOk, kFailed, kRefused, kInvalidSource };
enum class ProsodyctlOperation { kCreate, kUpdate, kDelete };
enum class CallResult { kOk, kFailed };

// Thread-safe: the watch loop records, the HTTP server renders.
class MeetgateMetrics {
 public:
  MeetgateMetrics();

  // Counts one reconcile and its duration; an ok result also sets the last success time.
  void reconcile_finished(
      ReconcileResult result, std::chrono::duration<double> duration,
      std::chrono::system_clock::time_point finished_at = std::chrono::system_clock::now());

  void set_desired_accounts(std::size_t count);
  void set_managed_accounts(std::size_t count);
  void prosodyctl_call(ProsodyctlOperation operation, CallResult result);
  void source_error();
  void delete_guard_tripped();
  void watch_event();

  // The exposition text served on /metrics.
  std::string render() const;

 private:
  Registry registry_;
  CounterFamily& reconciles_;
  HistogramFamily& reconcile_duration_;
  GaugeFamily& desired_accounts_;
  GaugeFamily& managed_accounts_;
  CounterFamily& prosodyctl_calls_;
  CounterFamily& source_errors_;
  CounterFamily& delete_guard_trips_;
  CounterFamily& watch_events_;
  GaugeFamily& last_success_;
  GaugeFamily& build_info_;
};

}  // namespace meetgate::http
