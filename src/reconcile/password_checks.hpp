// Which desired accounts already have their password, checked offline from Prosody's
// stored SCRAM keys. Each check is one PBKDF2, so a cold sync spreads them over cores.
#pragma once

#include <map>
#include <vector>

#include "prosody/account_store.hpp"
#include "prosody/scram.hpp"
#include "reconcile/plan.hpp"

namespace meetgate::reconcile {

struct PasswordCheckItem {
  int desired_index = -1;
  const prosody::StoredAccount* stored = nullptr;
};

// One result per item, by desired index. An unreadable or unparsable record is
// kUnknownShape: the account is re-registered, and prosodyctl reports what is wrong.
std::map<int, prosody::PasswordCheck> check_passwords(const std::vector<DesiredAccount>& desired,
                                                      const std::vector<PasswordCheckItem>& items,
                                                      int jobs);

}  // namespace meetgate::reconcile
