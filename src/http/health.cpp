// Probe answers from the heartbeat and the reconcile/source state.
#include "http/health.hpp"

#include <fmt/format.h>

namespace meetgate::http {
namespace {

// A probe reason is one line: keep the first line of a multi-line report.
std::string first_line(std::string_view text) {
  return std::string(text.substr(0, text.find('\n')));
}

}  // namespace

Health::Health(Clock::duration stall_after, Now now)
    : stall_after_(stall_after), now_(std::move(now)), last_beat_(now_()) {}

void Health::heartbeat() {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  last_beat_ = now;
}

void Health::sleeping_until(Clock::time_point wake_at) {
  std::lock_guard lock(mutex_);
  last_beat_ = std::max(last_beat_, wake_at);
}

void Health::reconcile_succeeded() {
  std::lock_guard lock(mutex_);
  reconciled_ = true;
  blocked_reason_.clear();
}

void Health::reconcile_blocked(std::string_view reason) {
  std::lock_guard lock(mutex_);
  blocked_reason_ = first_line(reason);
}

void Health::source_valid() {
  std::lock_guard lock(mutex_);
  source_valid_ = true;
  source_reason_.clear();
}

void Health::source_invalid(std::string_view reason) {
  std::lock_guard lock(mutex_);
  source_valid_ = false;
  source_reason_ = first_line(reason);
}

ProbeStatus Health::liveness() const {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  const auto age = now - last_beat_;  // negative while sleeping as promised
  if (age <= stall_after_)
    return {true, ""};

  const double seconds = std::chrono::duration<double>(age).count();
  return {false, fmt::format("watch loop stalled: last heartbeat {:.1f}s ago", seconds)};
}

ProbeStatus Health::readiness() const {
  std::lock_guard lock(mutex_);
  if (!source_valid_)
    return {false, source_reason_};
  if (!blocked_reason_.empty())
    return {false, blocked_reason_};
  if (!reconciled_)
    return {false, "no successful reconcile yet"};
  return {true, ""};
}

}  // namespace meetgate::http
