// Which desired accounts already have their password, checked offline from Prosody's
// stored SCRAM keys. Each check is one PBKDF2, so a cold sync spreads them over cores.
#pragma once

#include <map>
#include <stop_token>
#include <vector>

#include "prosody/account_store.hpp"
#include "prosody/scram.hpp"
#include "reconcile/plan.hpp"
#include "reconcile/verified_passwords.hpp"

namespace meetgate::reconcile {

struct PasswordCheckItem {
  int desired_index = -1;
  const prosody::StoredAccount* stored = nullptr;
};

struct PasswordCheckOptions {
  int jobs = 1;                           // threads
  VerifiedPasswords* verified = nullptr;  // skip repeats of matching checks, remember new ones
  std::stop_token stop;                   // requested: give up early, results incomplete
};

// One result per item, by desired index. An unreadable or unparsable record is
// kUnknownShape: the account is re-registered, and prosodyctl reports what is wrong.
// After a stop request the map misses the items not checked: do not plan with it.
std::map<int, prosody::PasswordCheck> check_passwords(const std::vector<DesiredAccount>& desired,
                                                      const std::vector<PasswordCheckItem>& items,
                                                      const PasswordCheckOptions& options);

}  // namespace meetgate::reconcile
