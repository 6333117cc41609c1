// Prosody's data directory as prosodyctl will use it: it must exist, and account
// files must be written as the user the server reads them as.
#pragma once

#include <filesystem>

#include "util/problem.hpp"

namespace meetgate::prosody {

// prosodyctl must write account files the server can read: meetgate has to run as the
// data directory's owner, or as root with a `prosody` user that owns it.
void check_data_directory(const std::filesystem::path& data_path, util::Problems& problems);

}  // namespace meetgate::prosody
