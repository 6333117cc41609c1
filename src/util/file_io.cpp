// Reading files whole, and replacing them atomically: temp file in the same
// directory, fsync, rename, fsync of the directory.
#include "util/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "util/os_error.hpp"
#include "util/unique_fd.hpp"

namespace meetgate::util {
namespace {

namespace fs = std::filesystem;

// errno values with our wording ("open /x: permission denied"); codes still
// compare equal to std::errc values.
class OsErrorCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "os"; }

  std::string message(int value) const override { return os_reason(value); }

  std::error_condition default_error_condition(int value) const noexcept override {
    return {value, std::generic_category()};
  }
};

[[noreturn]] void throw_os_error(int error, const std::string& what) {
  static const OsErrorCategory category;
  throw std::system_error(error, category, what);
}

// A temp file next to the target, named ".<name>.XXXXXX" so globbing readers skip
// it; removed unless it was renamed into place.
class TempFile {
 public:
  explicit TempFile(const fs::path& target) {
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    // Appended step by step: g++ 12 at -O3 warns falsely (-Wrestrict) on "." + string.
    std::string leaf = ".";
    leaf += target.filename().string();
    leaf += ".XXXXXX";
    std::string name = (dir / leaf).string();
    int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0)
      throw_os_error(errno, "create temp file in " + dir.string());
    fd_ = fd;
    path_ = name;
  }
  ~TempFile() {
    if (fd_ >= 0)
      ::close(fd_);
    if (!path_.empty())
      ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  int close_now() { return ::close(std::exchange(fd_, -1)); }
  void keep() { path_.clear(); }

 private:
  int fd_ = -1;
  std::string path_;
};

// Writing through a symlink replaces what it points to, not the link: Debian's
// conf.d entries are links into conf.avail and must stay links.
fs::path resolve_target(const fs::path& path) {
  std::error_code error;
  if (!fs::is_symlink(fs::symlink_status(path, error)))
    return path;
  fs::path real = fs::canonical(path, error);
  return error ? path : real;  // a dangling link is replaced by the new file
}

void write_all(int fd, std::string_view content, const fs::path& target) {
  while (!content.empty()) {
    ssize_t count = ::write(fd, content.data(), content.size());
    if (count < 0 && errno == EINTR)
      continue;
    if (count < 0)
      throw_os_error(errno, "write " + target.string());
    content.remove_prefix(static_cast<size_t>(count));
  }
}

// Mode and owner the new file gets: the existing file's, or the options'.
struct Ownership {
  mode_t mode;
  uid_t uid;  // -1: leave as created
  gid_t gid;
};

Ownership choose_ownership(const struct stat* existing, const WriteOptions& options) {
  if (existing != nullptr && options.keep_existing_mode) {
    return {static_cast<mode_t>(existing->st_mode & 07777), existing->st_uid, existing->st_gid};
  }
  return {options.mode, options.owner.value_or(static_cast<uid_t>(-1)),
          options.group.value_or(static_cast<gid_t>(-1))};
}

// chown before chmod: chown clears set-id bits. Only root may give files away; an
// unprivileged caller keeps the file as its own.
void apply_ownership(int fd, const Ownership& ownership, const fs::path& target) {
  if (::geteuid() == 0 &&
      (ownership.uid != static_cast<uid_t>(-1) || ownership.gid != static_cast<gid_t>(-1))) {
    if (::fchown(fd, ownership.uid, ownership.gid) != 0) {
      throw_os_error(errno, "chown " + target.string());
    }
  }
  if (::fchmod(fd, ownership.mode) != 0)
    throw_os_error(errno, "chmod " + target.string());
}

// The rename is durable only once the directory entry is on disk.
void sync_directory(const fs::path& target) {
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  util::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0)
    throw_os_error(errno, "open " + dir.string());
  if (::fsync(fd.get()) != 0 && errno != EINVAL)
    throw_os_error(errno, "fsync " + dir.string());
}

}  // namespace

std::string read_file(const fs::path& path) {
  // O_NONBLOCK and a regular file only: a FIFO named by mistake must not hang us.
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0)
    throw_os_error(errno, "open " + path.string());
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0)
    throw_os_error(errno, "stat " + path.string());
  if (S_ISDIR(info.st_mode))
    throw_os_error(EISDIR, "read " + path.string());
  if (!S_ISREG(info.st_mode))
    throw std::system_error(EINVAL, std::generic_category(),
                            "read " + path.string() + ": not a regular file");

  std::string content;
  std::array<char, 65536> buffer;
  while (true) {
    ssize_t count = ::read(fd.get(), buffer.data(), buffer.size());
    if (count < 0 && errno == EINTR)
      continue;
    if (count < 0)
      throw_os_error(errno, "read " + path.string());
    if (count == 0)
      return content;
    content.append(buffer.data(), static_cast<size_t>(count));
  }
}

StagedWrite::StagedWrite(const fs::path& path, std::string_view content,
                         const WriteOptions& options)
    : target_(options.follow_symlinks ? resolve_target(path) : path) {
  // An unchanged file is left alone: no new inode, no mtime change, no reload.
  // lstat: a link still here (dangling, or not to be followed) is replaced like a
  // missing file, and nothing is read or copied from what it points to.
  struct stat existing;
  bool exists = ::lstat(target_.c_str(), &existing) == 0;
  if (!exists && errno != ENOENT)
    throw_os_error(errno, "stat " + target_.string());
  if (exists && S_ISLNK(existing.st_mode))
    exists = false;
  if (exists && S_ISDIR(existing.st_mode))
    throw_os_error(EISDIR, "write " + target_.string());
  if (exists && !S_ISREG(existing.st_mode))
    throw_os_error(EINVAL, "write " + target_.string());
  if (exists && read_file(target_) == content)
    return;

  // Everything before the rename happens on the temp file: a failure leaves the
  // old file untouched and the temp file removed.
  TempFile temp(target_);
  write_all(temp.fd(), content, target_);
  apply_ownership(temp.fd(), choose_ownership(exists ? &existing : nullptr, options), target_);
  if (::fsync(temp.fd()) != 0)
    throw_os_error(errno, "fsync " + target_.string());
  if (temp.close_now() != 0)
    throw_os_error(errno, "close " + target_.string());
  temp_path_ = temp.path();
  temp.keep();
}

StagedWrite::StagedWrite(StagedWrite&& other) noexcept
    : target_(std::move(other.target_)), temp_path_(std::exchange(other.temp_path_, {})) {}

StagedWrite::~StagedWrite() {
  if (!temp_path_.empty())
    ::unlink(temp_path_.c_str());
}

void StagedWrite::commit() {
  if (temp_path_.empty())
    return;
  if (::rename(temp_path_.c_str(), target_.c_str()) != 0)
    throw_os_error(errno, "rename " + temp_path_ + " to " + target_.string());
  temp_path_.clear();
  sync_directory(target_);
}

bool write_file_atomically(const fs::path& path, std::string_view content,
                           const WriteOptions& options) {
  StagedWrite staged(path, content, options);
  const bool changes = staged.changes();
  staged.commit();
  return changes;
}

}  // namespace meetgate::util
