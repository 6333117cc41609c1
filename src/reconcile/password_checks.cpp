#include "reconcile/password_checks.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
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
  if (verified && verified->matches(account, stored.content))
    return prosody::PasswordCheck::kMatches;

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
  std::atomic<size_t> next{0};

  // Workers take the next item until none is left; each writes only its own slot.
  auto work = [&] {
    for (size_t i = next++; i < items.size() && !options.stop.stop_requested(); i = next++) {
      results[i] = check_one(desired[items[i].desired_index], *items[i].stored, options.verified);
    }
  };
  const int workers =
      std::clamp<int>(options.jobs, 1, static_cast<int>(std::max<size_t>(items.size(), 1)));
  std::vector<std::thread> threads;
  for (int i = 1; i < workers; ++i)
    threads.emplace_back(work);
  work();
  for (auto& thread : threads)
    thread.join();

  std::map<int, prosody::PasswordCheck> checks;
  for (size_t i = 0; i < items.size(); ++i) {
    if (results[i])
      checks[items[i].desired_index] = *results[i];
  }
  return checks;
}

}  // namespace meetgate::reconcile
