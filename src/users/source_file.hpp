// Reading the files of a users source with size bounds, so a wrong path (a disk
// image, /dev/zero) or a flood of files costs an error instead of all memory.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "util/os_error.hpp"

namespace meetgate::users {

struct FileRead {
  enum class Status { kOk, kTooLarge, kFailed };
  Status status = Status::kOk;
  std::string content;   // the whole file when kOk
  std::string os_error;  // "permission denied" when kFailed
  int error_number = 0;  // errno when kFailed: ENOENT means the file went away
};

// Reads at most `max_bytes`; a longer file gives kTooLarge and no content.
FileRead read_bounded(const std::filesystem::path& path, std::size_t max_bytes);

using util::os_reason;

// A password file is far smaller than this; anything bigger is the wrong file.
inline constexpr std::size_t kMaxPasswordFileBytes = std::size_t{64} << 10;

// Reads one password file (a directory source's file, a JSON password_file) and
// strips one trailing "\n" or "\r\n". `budget` is what the whole source may still
// read and is reduced by the file's size. On failure returns nullopt and sets
// `error` to a message about `label` ("the file", "password_file /run/secrets/x").
std::optional<std::string> read_password_file(const std::filesystem::path& path,
                                              const std::string& label, std::size_t& budget,
                                              std::string& error);

}  // namespace meetgate::users
