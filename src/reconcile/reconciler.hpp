// One reconcile: read Prosody's accounts, check passwords, plan, guard, apply through
// a backend, and record which accounts are managed. Holds the data directory's lock.
#pragma once

#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "prosody/account_backend.hpp"
#include "reconcile/managed_state.hpp"
#include "reconcile/plan.hpp"
#include "reconcile/verified_passwords.hpp"
#include "util/problem.hpp"

namespace meetgate::reconcile {

struct ReconcileRequest {
  const std::vector<DesiredAccount>* desired = nullptr;
  bool source_empty = false;  // the users source holds nobody (guard: always refuse deletes)
  bool dry_run = false;       // plan only: no call, no state, no lock file
  bool force = false;         // apply a plan the delete guard refused

  // The watcher's: a cache of matching password checks kept between reconciles, a stop
  // request (SIGTERM) that lets calls in flight finish and starts no more, and a
  // callback after each operation, skipped ones too (heartbeat and metrics).
  VerifiedPasswords* verified = nullptr;
  std::stop_token stop{};
  prosody::AccountBackend::Progress on_progress{};
};

struct ReconcileReport {
  Plan plan;
  GuardVerdict guard;
  size_t created = 0, updated = 0, deleted = 0, adopted = 0, unchanged = 0, left = 0;
  size_t failed = 0;
  size_t skipped = 0;    // operations not started because a stop was requested
  bool stopped = false;  // a stop was requested before everything was done
  size_t managed = 0;    // accounts recorded as managed afterwards
  long calls = 0;
  util::Problems failures;  // "alice@meet.jitsi": why its operation failed
  std::string state_error;  // why the state write after the calls failed, if it did

  bool converged() const {
    return failed == 0 && skipped == 0 && !stopped && !guard.tripped && state_error.empty();
  }
};

class Reconciler {
 public:
  Reconciler(const config::Settings& settings, std::filesystem::path data_path,
             prosody::AccountBackend& backend);

  // Throws std::runtime_error when the state file or the lock cannot be had; nothing
  // has been changed then.
  ReconcileReport run(const ReconcileRequest& request);

 private:
  void apply(const ReconcileRequest& request, ManagedState managed, ReconcileReport& report);
  void save_final_state(const ManagedState& managed, ReconcileReport& report) const;
  void remember_password(const ReconcileRequest& request,
                         const prosody::AccountOperation& operation) const;

  const config::Settings& settings_;
  std::filesystem::path data_path_;
  prosody::AccountBackend& backend_;
};

}  // namespace meetgate::reconcile
