// Shared setup for the users tests: the deployment's domains and a scratch directory.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "users/users_source.hpp"

namespace meetgate::users::test {

inline Domains jitsi_domains() {
  return Domains{"meet.jitsi", "auth.meet.jitsi", "guest.meet.jitsi", {"other.jitsi"}};
}

// A fresh directory under /tmp, removed with everything in it at the end of a test.
class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "meetgate-users-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDirectory() { std::filesystem::remove_all(path_); }

  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path write(const std::filesystem::path& name, std::string_view content) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace meetgate::users::test
