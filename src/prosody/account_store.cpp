// Lists a host's accounts straight from Prosody's internal storage, so the current
// state is known without starting prosodyctl and with the server down.
#include "prosody/account_store.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prosody/storage_encoding.hpp"
#include "util/os_error.hpp"

#include "util/unique_fd.hpp"

namespace meetgate::prosody {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kRecordSuffix = ".dat";

// A record is a few hundred bytes; the cap bounds memory should something else
// (a log, a dump) sit in the accounts directory under a .dat name.
constexpr size_t kMaxRecordSize = size_t{1} << 20;

using util::os_reason;

// A file name for messages: bytes outside printable ASCII become \xNN so a hostile
// name cannot forge log lines.
std::string printable(std::string_view name) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += ch;
    } else {
      out += {'\\', 'x', kHex[c >> 4], kHex[c & 0xf]};
    }
  }
  return out;
}

// Reads the whole file from `fd` into `content`; an error text when that fails.
std::string read_all(int fd, const fs::path& file, std::string& content) {
  char buffer[4096];
  for (;;) {
    ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      int read_errno = errno;
      content.clear();
      return "read " + file.string() + ": " + os_reason(read_errno);
    }
    if (count == 0) {
      return {};
    }
    content.append(buffer, static_cast<size_t>(count));
    if (content.size() > kMaxRecordSize) {
      content.clear();
      return "read " + file.string() + ": larger than an account record can be";
    }
  }
}

// Fills content and identity of `account.file`, or read_error. The identity comes from
// fstat on the descriptor that is read, so it describes exactly those bytes (Prosody
// replaces records by rename, never in place). False when the file vanished meanwhile,
// i.e. the account was just deleted.
bool read_account(StoredAccount& account) {
  // O_NONBLOCK: a FIFO named like a record must not hang the reconcile.
  int fd = ::open(account.file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int open_errno = errno;
    account.read_error = "open " + account.file.string() + ": " + os_reason(open_errno);
    return open_errno != ENOENT;
  }
  util::UniqueFd guard(fd);

  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    int stat_errno = errno;
    account.read_error = "stat " + account.file.string() + ": " + os_reason(stat_errno);
    return true;
  }
  if (!S_ISREG(status.st_mode)) {
    account.read_error = "open " + account.file.string() + ": not a regular file";
    return true;
  }
  account.identity = FileIdentity{
      .device = status.st_dev,
      .inode = status.st_ino,
      .size = status.st_size,
      .mtime_ns =
          static_cast<long long>(status.st_mtim.tv_sec) * 1'000'000'000LL + status.st_mtim.tv_nsec,
  };

  account.read_error = read_all(fd, account.file, account.content);
  return true;
}

// The username a record's file name stands for. Only names Prosody itself would
// write count: "alice%41.dat" decodes to "aliceA", but Prosody looks for
// "aliceA.dat" and could never load it.
std::optional<std::string> username_of(std::string_view stem) {
  auto username = decode_storage_name(stem);
  if (!username || encode_storage_name(*username) != stem) {
    return std::nullopt;
  }
  return username;
}

}  // namespace

AccountStore::AccountStore(fs::path data_path) : data_path_(std::move(data_path)) {}

std::optional<std::string> AccountStore::read_record(const std::string& host,
                                                     const std::string& username) const {
  StoredAccount account;
  account.username = username;
  account.file = accounts_dir(host) / (encode_storage_name(username) + ".dat");
  if (!read_account(account) || !account.read_error.empty())
    return std::nullopt;
  return std::move(account.content);
}

fs::path AccountStore::accounts_dir(const std::string& host) const {
  return data_path_ / encode_storage_name(host) / "accounts";
}

std::vector<StoredAccount> AccountStore::list(const std::string& host,
                                              util::Problems& problems) const {
  fs::path dir = accounts_dir(host);
  std::error_code error;
  fs::directory_iterator entries(dir, error);
  if (error == std::errc::no_such_file_or_directory) {
    return {};  // Prosody creates the directory with the host's first account
  }

  std::vector<StoredAccount> accounts;
  for (; !error && entries != fs::directory_iterator(); entries.increment(error)) {
    // `*.dat~` is the scratch file of Prosody's atomic write: never an account.
    std::string name = entries->path().filename().string();
    if (!name.ends_with(kRecordSuffix)) {
      continue;
    }
    auto username =
        username_of(std::string_view(name).substr(0, name.size() - kRecordSuffix.size()));
    if (!username) {
      problems.push_back({printable(entries->path().string()),
                          "not an account file name prosody writes, ignored"});
      continue;
    }

    StoredAccount account;
    account.username = std::move(*username);
    account.file = entries->path();
    if (read_account(account)) {
      accounts.push_back(std::move(account));
    }
  }
  // A listing that failed part-way would look like accounts that vanished: the plan
  // would forget them as managed, or create them again. Refuse to guess.
  if (error) {
    throw std::runtime_error("read directory " + dir.string() + ": " + os_reason(error));
  }

  std::sort(accounts.begin(), accounts.end(),
            [](const auto& a, const auto& b) { return a.username < b.username; });
  return accounts;
}

}  // namespace meetgate::prosody
