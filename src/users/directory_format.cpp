// A users directory, as Kubernetes mounts a Secret or ConfigMap: visible names are
// symlinks to "..data/<name>", "..data" points at a timestamped "..2024_..." directory.
#include "users/directory_format.hpp"

#include <algorithm>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "users/source_file.hpp"

namespace meetgate::users {
namespace {

namespace fs = std::filesystem;

// The names that may be users: hidden ones ("..data", "..2024_...") are Kubernetes'.
std::vector<std::string> visible_names(const fs::path& directory, std::error_code& error) {
  std::vector<std::string> names;
  fs::directory_iterator it(directory, error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    std::string name = it->path().filename().string();
    if (!name.starts_with('.'))
      names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

RawEntries read_directory_entries(const fs::path& directory) {
  RawEntries raw;
  std::error_code error;
  const auto names = visible_names(directory, error);
  if (error) {
    raw.problems.push_back(
        {directory.string(), "cannot list users directory: " + os_reason(error.value())});
    return raw;
  }

  std::size_t budget = kMaxSourceBytes;
  for (const auto& name : names) {
    // status() follows symlinks; a dangling one is an error, not a deleted user,
    // since Kubernetes removes a key's link only after swapping "..data".
    const fs::path path = directory / name;
    const auto status = fs::status(path, error);
    if (fs::is_directory(status))
      continue;
    if (error || !fs::is_regular_file(status)) {
      const std::string why = error ? os_reason(error.value()) : "not a regular file";
      raw.problems.push_back({path.string(), "cannot read the file: " + why});
      continue;
    }

    std::string read_error;
    auto password = read_password_file(path, "the file", budget, read_error);
    if (!password) {
      raw.problems.push_back({path.string(), std::move(read_error)});
      continue;
    }
    raw.entries.push_back(RawEntry{name, std::move(*password), path.string()});
  }
  return raw;
}

}  // namespace meetgate::users
