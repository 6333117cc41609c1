#include "http/meetgate_metrics.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "build_info.hpp"

using namespace meetgate::http;
using namespace std::chrono_literals;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

}  // namespace

TEST_CASE("every series exists at zero from the start") {
  MeetgateMetrics metrics;

  const std::string text = metrics.render();

  CHECK(has_line(text, "meetgate_reconciles_total{result=\"invalid_source\"} 0"));
  CHECK(
      has_line(text, "meetgate_prosodyctl_calls_total{operation=\"update\",result=\"failed\"} 0"));
  CHECK(has_line(text, "meetgate_delete_guard_trips_total 0"));
  CHECK(has_line(text, "meetgate_last_success_timestamp_seconds 0"));
  CHECK(
      has_line(text, std::string("meetgate_build_info{version=\"") + meetgate::kVersion + "\"} 1"));
}

TEST_CASE("a successful reconcile counts, times and stamps") {
  MeetgateMetrics metrics;
  const std::chrono::system_clock::time_point at(1764772800s);

  metrics.reconcile_finished(ReconcileResult::kOk, 30ms, at);
  metrics.reconcile_finished(ReconcileResult::kRefused, 2ms, at + 60s);

  const std::string text = metrics.render();
  CHECK(has_line(text, "meetgate_reconciles_total{result=\"ok\"} 1"));
  CHECK(has_line(text, "meetgate_reconciles_total{result=\"refused\"} 1"));
  CHECK(has_line(text, "meetgate_reconcile_duration_seconds_bucket{result=\"ok\",le=\"0.025\"} 0"));
  CHECK(has_line(text, "meetgate_reconcile_duration_seconds_bucket{result=\"ok\",le=\"0.05\"} 1"));
  CHECK(has_line(text, "meetgate_reconcile_duration_seconds_count{result=\"refused\"} 1"));
  CHECK(has_line(text, "meetgate_last_success_timestamp_seconds 1764772800"));
}

TEST_CASE("accounts, calls and events are recorded") {
  MeetgateMetrics metrics;

  metrics.set_desired_accounts(12);
  metrics.set_managed_accounts(10);
  metrics.prosodyctl_call(ProsodyctlOperation::kCreate, CallResult::kOk);
  metrics.prosodyctl_call(ProsodyctlOperation::kDelete, CallResult::kFailed);
  metrics.source_error();
  metrics.delete_guard_tripped();
  metrics.watch_event();
  metrics.watch_event();

  const std::string text = metrics.render();
  CHECK(has_line(text, "meetgate_desired_accounts 12"));
  CHECK(has_line(text, "meetgate_managed_accounts 10"));
  CHECK(has_line(text, "meetgate_prosodyctl_calls_total{operation=\"create\",result=\"ok\"} 1"));
  CHECK(
      has_line(text, "meetgate_prosodyctl_calls_total{operation=\"delete\",result=\"failed\"} 1"));
  CHECK(has_line(text, "meetgate_source_errors_total 1"));
  CHECK(has_line(text, "meetgate_delete_guard_trips_total 1"));
  CHECK(has_line(text, "meetgate_watch_events_total 2"));
}

// Hidden: tests/integration/test_metrics_format.py runs it to get a sample to parse
// with a real Prometheus parser.
TEST_CASE("write a metrics sample for the format check", "[.][sample]") {
  const char* path = std::getenv("MEETGATE_METRICS_SAMPLE");
  REQUIRE(path != nullptr);
  MeetgateMetrics metrics;
  metrics.reconcile_finished(ReconcileResult::kOk, 30ms,
                             std::chrono::system_clock::time_point(1764772800s));
  metrics.reconcile_finished(ReconcileResult::kFailed, 1500ms);
  metrics.set_desired_accounts(3);
  metrics.set_managed_accounts(2);
  metrics.prosodyctl_call(ProsodyctlOperation::kUpdate, CallResult::kOk);
  metrics.watch_event();

  std::ofstream(path) << metrics.render();

  CHECK(std::ifstream(path).good());
}
