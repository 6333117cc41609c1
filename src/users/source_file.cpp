// Bounded reads of users files: open, check the type, read until EOF or the bound.
#include "users/source_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "users/raw_entry.hpp"

#include "util/unique_fd.hpp"

namespace meetgate::users {
namespace {

FileRead failed(int error_number) {
  return FileRead{FileRead::Status::kFailed, "", os_reason(error_number), error_number};
}

}  // namespace

FileRead read_bounded(const std::filesystem::path& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO would otherwise wait forever for a writer.
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0)
    return failed(errno);

  // A directory opens fine but cannot be read; say so plainly. Devices and FIFOs are
  // no users source.
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0)
    return failed(errno);
  if (S_ISDIR(info.st_mode))
    return failed(EISDIR);
  if (!S_ISREG(info.st_mode))
    return FileRead{FileRead::Status::kFailed, "", "not a regular file", EINVAL};
  if (S_ISREG(info.st_mode) && static_cast<std::size_t>(info.st_size) > max_bytes) {
    return FileRead{FileRead::Status::kTooLarge, "", ""};
  }

  // st_size may be stale or 0 (pipes, /proc): the loop enforces the bound itself. It
  // still sizes the buffer once: growing it by doubling held a 50 MB file twice.
  FileRead result;
  result.content.reserve(static_cast<std::size_t>(info.st_size));
  char chunk[65536];
  for (;;) {
    const ssize_t got = ::read(fd.get(), chunk, sizeof chunk);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return failed(errno);
    if (got == 0)
      return result;
    if (result.content.size() + static_cast<std::size_t>(got) > max_bytes) {
      return FileRead{FileRead::Status::kTooLarge, "", ""};
    }
    result.content.append(chunk, static_cast<std::size_t>(got));
  }
}

std::optional<std::string> read_password_file(const std::filesystem::path& path,
                                              const std::string& label, std::size_t& budget,
                                              std::string& error) {
  const FileRead read = read_bounded(path, std::min(budget, kMaxPasswordFileBytes));
  if (read.status == FileRead::Status::kFailed) {
    error = "cannot read " + label + ": " + read.os_error;
    return std::nullopt;
  }
  if (read.status == FileRead::Status::kTooLarge) {
    error = budget < kMaxPasswordFileBytes
                ? label + " takes the users source past " + std::string(kMaxSourceSize)
                : label + " is larger than 64 KiB: a password has at most 1023 bytes";
    return std::nullopt;
  }
  budget -= read.content.size();

  // Editors and `echo` end a file with a newline that is not part of the password.
  std::string password = read.content;
  if (password.ends_with('\n')) {
    password.pop_back();
    if (password.ends_with('\r'))
      password.pop_back();
  }
  return password;
}

}  // namespace meetgate::users
