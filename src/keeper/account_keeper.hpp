// One pass of the watcher: read the users source, and when it is valid and changed
// (or a resync is due) reconcile Prosody's accounts with it. Keeps what passes share:
// the content last applied and the passwords already verified.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string>

#include "config/settings.hpp"
#include "http/health.hpp"
#include "http/meetgate_metrics.hpp"
#include "prosody/account_backend.hpp"
#include "reconcile/reconciler.hpp"
#include "reconcile/verified_passwords.hpp"
#include "users/users_source.hpp"

namespace meetgate::keeper {

// Why a pass runs.
enum class Trigger {
  kStart,   // the first pass
  kChange,  // the watcher saw the source change (skipped when the content is the same)
  kResync,  // the resync interval came due: repair drift
  kSignal,  // SIGHUP
  kRetry,   // the last pass could not finish its job
};

const char* to_string(Trigger trigger);  // "start", "change", ...

// What the loop does next.
enum class PassResult {
  kApplied,        // reconciled and converged
  kNoChange,       // same content as last applied: nothing done
  kSourceMissing,  // not ready, nothing touched: wait for the source to appear
  kSourceInvalid,  // last good state kept: wait for the source to be fixed
  kRefused,        // the delete guard refused the plan: wait for a changed source
  kRetry,          // the data directory is missing, operations failed, I/O failed
  kStopped,        // a stop was requested during the pass
};

class AccountKeeper {
 public:
  // `settings.users` must be set. Everything passed must outlive the keeper.
  AccountKeeper(const config::Settings& settings, std::filesystem::path data_path,
                prosody::AccountBackend& backend, http::Health& health,
                http::MeetgateMetrics& metrics);

  PassResult pass(Trigger trigger, std::stop_token stop);

 private:
  std::optional<users::UsersSource> read_source();
  bool data_directory_ready();
  PassResult reconcile(const users::UsersSource& source, Trigger trigger, std::stop_token stop);
  PassResult record(const reconcile::ReconcileReport& report, const std::string& hash,
                    Trigger trigger, std::chrono::duration<double> took);

  const config::Settings& settings_;
  std::filesystem::path users_path_;
  std::filesystem::path data_path_;
  prosody::AccountBackend& backend_;
  http::Health& health_;
  http::MeetgateMetrics& metrics_;

  std::optional<std::string> applied_hash_;  // content last reconciled (or refused)
  bool source_missing_ = false;              // logged once per disappearance
  bool data_waiting_ = false;                // logged once per wait
  reconcile::VerifiedPasswords verified_;
};

}  // namespace meetgate::keeper
