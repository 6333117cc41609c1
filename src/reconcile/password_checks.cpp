// Password checks: repeats answered from the cache, the rest as PBKDF2 on worker threads.
#include "reconcile/password_checks.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <system_error>
#include <thread>

#include "log/logger.hpp"
#include "prosody/account_file.hpp"

namespace meetgate::reconcile {
namespace {

prosody::PasswordCheck check_one(const DesiredAccount& account,
                                 const prosody::StoredAccount& stored,
                                 VerifiedPasswords* verified) {
  if (!stored.read_error.empty())
    return prosody::PasswordCheck::kUnknownShape;

  const auto parsed = prosody::parse_account_file(stored.content);
  if (!parsed.record) {
    log::warn("account_unreadable",
              {{"user", account.username}, {"host", account.host}, {"reason", parsed.error}});
    return prosody::PasswordCheck::kUnknownShape;
  }
  const auto check = prosody::check_password(*parsed.record, account.password);
  if (verified && check == prosody::PasswordCheck::kMatches)
    verified->remember(account, stored.content);
  return check;
}

}  // namespace

std::map<int, prosody::PasswordCheck> check_passwords(const std::vector<DesiredAccount>& desired,
                                                      const std::vector<PasswordCheckItem>& items,
                                                      const PasswordCheckOptions& options) {
  std::vector<std::optional<prosody::PasswordCheck>> results(items.size());

  // Repeats of checks that matched before cost one HMAC each: answer them here, and
  // spread only the PBKDF2s over threads.
  std::vector<size_t> to_check;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& stored = *items[i].stored;
    if (options.verified && stored.read_error.empty() &&
        options.verified->matches(desired[items[i].desired_index], stored.content))
      results[i] = prosody::PasswordCheck::kMatches;
    else
      to_check.push_back(i);
  }

  // Workers take the next item until none is left; each writes only its own slot.
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t n = next++; n < to_check.size() && !options.stop.stop_requested(); n = next++) {
      const size_t i = to_check[n];
      results[i] = check_one(desired[items[i].desired_index], *items[i].stored, options.verified);
    }
  };
  // A thread that cannot be started (a pids limit) leaves its share to the others.
  const size_t workers = std::min<size_t>(static_cast<size_t>(std::max(options.jobs, 1)),
                                          std::max<size_t>(to_check.size(), 1));
  std::vector<std::jthread> threads;
  for (size_t i = 1; i < workers; ++i) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;
    }
  }
  work();
  threads.clear();  // joins

  std::map<int, prosody::PasswordCheck> checks;
  for (size_t i = 0; i < items.size(); ++i) {
    if (results[i])
      checks[items[i].desired_index] = *results[i];
  }
  return checks;
}

}  // namespace meetgate::reconcile
