// A users directory (a Kubernetes Secret or ConfigMap volume): one file a user.
#pragma once

#include <filesystem>

#include "users/raw_entry.hpp"

namespace meetgate::users {

// Every file not starting with '.' (symlinks followed, directories skipped), sorted
// by name: name = user, content = password. Locations are the files' paths.
RawEntries read_directory_entries(const std::filesystem::path& directory);

}  // namespace meetgate::users
