// Reads Prosody's current accounts for a host from internal storage:
// <data_path>/<enc(host)>/accounts/<enc(user)>.dat (scratch files *.dat~ ignored).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "util/problem.hpp"

namespace meetgate::prosody {

// What identifies one version of an account file: a watcher that verified a password
// against this exact identity and content need not run PBKDF2 again.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  long long mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

struct StoredAccount {
  std::string username;  // decoded from the file name
  std::filesystem::path file;
  FileIdentity identity;
  std::string content;     // the raw record; parse with parse_account_file
  std::string read_error;  // non-empty when the file exists but could not be read
};

class AccountStore {
 public:
  explicit AccountStore(std::filesystem::path data_path);

  const std::filesystem::path& data_path() const { return data_path_; }
  std::filesystem::path accounts_dir(const std::string& host) const;

  // Every account on `host`, sorted by username. A missing accounts directory means
  // no accounts yet. Undecodable file names are reported in `problems` and skipped.
  // Throws std::runtime_error when the directory exists but cannot be listed.
  std::vector<StoredAccount> list(const std::string& host, util::Problems& problems) const;

  // The raw record of one account, or nothing when it is missing or unreadable.
  std::optional<std::string> read_record(const std::string& host,
                                         const std::string& username) const;

 private:
  std::filesystem::path data_path_;
};

}  // namespace meetgate::prosody
