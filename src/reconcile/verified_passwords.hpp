// Passwords already found to match an account's stored record, so that a resync of an
// unchanged source against unchanged accounts costs no PBKDF2 at all.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reconcile/plan.hpp"

namespace meetgate::reconcile {

// Remembers a keyed fingerprint (util::KeyedHash) of host, username, the stored record's
// bytes and the password, never the password itself. A new salt, a password set by
// someone else or a new password in the source gives another fingerprint: only an exact
// repeat of a check that matched is skipped. One entry per account, held in memory only.
// Thread-safe: the password checks run on several threads.
class VerifiedPasswords {
 public:
  // True when `password` was found to match exactly this `record` of the account.
  bool matches(const DesiredAccount& account, std::string_view record) const;

  void remember(const DesiredAccount& account, std::string_view record);

  // Forgets the accounts not in `desired`, so memory follows the users source.
  void retain(const std::vector<DesiredAccount>& desired);

  std::size_t size() const;

 private:
  static std::string key(const DesiredAccount& account);
  static std::string fingerprint(const DesiredAccount& account, std::string_view record);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::string> fingerprints_;  // by host '\0' username
};

}  // namespace meetgate::reconcile
