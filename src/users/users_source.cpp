// Loading a users source: pick the format by what the path is, then check the
// entries as a whole (accounts, passwords, duplicates) and hash what was found.
#include "users/users_source.hpp"

#include <nettle/hmac.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <map>
#include <system_error>
#include <tuple>
#include <utility>

#include "users/account_name.hpp"
#include "users/directory_format.hpp"
#include "users/json_format.hpp"
#include "users/password_rules.hpp"
#include "users/raw_entry.hpp"
#include "users/source_file.hpp"
#include "users/text_format.hpp"

namespace meetgate::users {
namespace {

namespace fs = std::filesystem;

void hash_field(hmac_sha256_ctx& context, std::string_view field) {
  // Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
  const std::uint64_t length = field.size();
  std::uint8_t prefix[8];
  for (int i = 0; i < 8; ++i)
    prefix[i] = static_cast<std::uint8_t>(length >> (8 * i));
  hmac_sha256_update(&context, sizeof prefix, prefix);
  hmac_sha256_update(&context, field.size(), reinterpret_cast<const std::uint8_t*>(field.data()));
}

// A key made once per process. The hash covers passwords: keyed, it is no offline
// oracle for guessing them should it ever be shown, and it never outlives the process.
const std::array<std::uint8_t, 32>& hash_key() {
  static const std::array<std::uint8_t, 32> key = [] {
    std::array<std::uint8_t, 32> bytes{};
    size_t filled = 0;
    while (filled < bytes.size()) {
      const ssize_t got = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
      if (got > 0)
        filled += static_cast<size_t>(got);
    }
    return bytes;
  }();
  return key;
}

// Hex HMAC-SHA-256 over the accounts in (host, username) order: the same accounts and
// passwords hash the same whatever the format, order or comments around them.
std::string content_hash(const std::vector<UserEntry>& users) {
  std::vector<const UserEntry*> sorted;
  for (const auto& user : users)
    sorted.push_back(&user);
  std::sort(sorted.begin(), sorted.end(), [](const UserEntry* a, const UserEntry* b) {
    return std::tie(a->host, a->username) < std::tie(b->host, b->username);
  });

  hmac_sha256_ctx context;
  hmac_sha256_set_key(&context, hash_key().size(), hash_key().data());
  for (const UserEntry* user : sorted) {
    hash_field(context, user->host);
    hash_field(context, user->username);
    hash_field(context, user->password);
  }
  std::uint8_t digest[SHA256_DIGEST_SIZE];
  hmac_sha256_digest(&context, sizeof digest, digest);

  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (std::uint8_t byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

std::string account_text(const AccountName& account, const Domains& domains) {
  if (account.host == domains.main)
    return quote_name(account.username);
  return quote_name(account.username + "@" + account.host);
}

// One problem per later occurrence, naming the first: both lines are needed to fix it.
std::string duplicate_text(const RawEntry& first, const RawEntry& again, const AccountName& account,
                           const Domains& domains) {
  const std::string prefix = "duplicate of " + first.location + ": ";
  if (first.name == again.name)
    return prefix + quote_name(again.name) + " is listed twice";
  return prefix + quote_name(first.name) + " and " + quote_name(again.name) +
         " are the same account " + account_text(account, domains);
}

LoadResult not_found(const fs::path& path) {
  LoadResult result;
  result.missing = true;
  result.problems.push_back({path.string(), "users source not found"});
  return result;
}

LoadResult one_problem(const fs::path& path, std::string what) {
  LoadResult result;
  result.problems.push_back({path.string(), std::move(what)});
  return result;
}

bool is_json_path(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".json";
}

}  // namespace

LoadResult check_entries(RawEntries raw, const Domains& domains) {
  LoadResult result;
  result.problems = std::move(raw.problems);
  UsersSource source;

  std::map<std::pair<std::string, std::string>, const RawEntry*> seen;
  for (const auto& entry : raw.entries) {
    auto account = parse_account_name(entry.name, domains);
    for (auto& error : account.errors)
      result.problems.push_back({entry.location, error});
    auto password_error = check_password(entry.password, entry.name);
    if (!password_error.empty())
      result.problems.push_back({entry.location, password_error});
    if (!account.ok())
      continue;

    // Prosody has one account per nodeprep'd name and host: a second entry would
    // silently overwrite the first one's password.
    const auto key = std::make_pair(account.account.host, account.account.username);
    if (const auto [it, fresh] = seen.emplace(key, &entry); !fresh) {
      const auto what = duplicate_text(*it->second, entry, account.account, domains);
      result.problems.push_back({entry.location, what});
      continue;
    }
    source.users.push_back(
        UserEntry{account.account.username, account.account.host, entry.password, entry.location});
  }

  if (!result.problems.empty())
    return result;
  source.content_hash = content_hash(source.users);
  result.source = std::move(source);
  return result;
}

LoadResult parse_text_users(std::string_view content, std::string_view name,
                            const Domains& domains) {
  return check_entries(read_text_entries(content, name), domains);
}

LoadResult parse_json_users(std::string_view content, std::string_view name,
                            const Domains& domains) {
  return check_entries(read_json_entries(content, name), domains);
}

LoadResult load_users_source(const fs::path& path, const Domains& domains) {
  // A missing source is "not ready": a daemon must not read it as "no users".
  std::error_code error;
  const auto status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found)
    return not_found(path);
  if (error)
    return one_problem(path, "cannot read users source: " + os_reason(error.value()));
  if (fs::is_directory(status))
    return check_entries(read_directory_entries(path), domains);

  // Renamed away since status(): still "not found", as editors replace files so.
  const FileRead read = read_bounded(path, kMaxSourceBytes);
  if (read.status == FileRead::Status::kFailed && read.error_number == ENOENT) {
    return not_found(path);
  }
  if (read.status == FileRead::Status::kFailed) {
    return one_problem(path, "cannot read users source: " + read.os_error);
  }
  if (read.status == FileRead::Status::kTooLarge) {
    return one_problem(path, "users source is larger than " + std::string(kMaxSourceSize) +
                                 ": is this the right file?");
  }
  if (is_json_path(path))
    return parse_json_users(read.content, path.string(), domains);
  return parse_text_users(read.content, path.string(), domains);
}

}  // namespace meetgate::users
