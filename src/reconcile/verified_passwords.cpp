// The verified-password cache: fingerprints by account, under a mutex.
#include "reconcile/verified_passwords.hpp"

#include <unordered_set>

#include "util/keyed_hash.hpp"

namespace meetgate::reconcile {

std::string VerifiedPasswords::key(const DesiredAccount& account) {
  std::string key = account.host;
  key += '\0';
  key += account.username;
  return key;
}

std::string VerifiedPasswords::fingerprint(const DesiredAccount& account, std::string_view record) {
  return util::KeyedHash()
      .add(account.host)
      .add(account.username)
      .add(record)
      .add(account.password)
      .hex_digest();
}

bool VerifiedPasswords::matches(const DesiredAccount& account, std::string_view record) const {
  // Hash outside the lock: the workers would otherwise queue on it.
  const auto wanted = fingerprint(account, record);
  std::lock_guard lock(mutex_);
  const auto it = fingerprints_.find(key(account));
  return it != fingerprints_.end() && it->second == wanted;
}

void VerifiedPasswords::remember(const DesiredAccount& account, std::string_view record) {
  auto value = fingerprint(account, record);
  std::lock_guard lock(mutex_);
  fingerprints_[key(account)] = std::move(value);
}

void VerifiedPasswords::retain(const std::vector<DesiredAccount>& desired) {
  std::unordered_set<std::string> keep;
  for (const auto& account : desired)
    keep.insert(key(account));

  std::lock_guard lock(mutex_);
  std::erase_if(fingerprints_, [&keep](const auto& entry) { return !keep.count(entry.first); });
}

std::size_t VerifiedPasswords::size() const {
  std::lock_guard lock(mutex_);
  return fingerprints_.size();
}

}  // namespace meetgate::reconcile
