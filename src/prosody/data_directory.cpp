#include "prosody/data_directory.hpp"

#include <charconv>
#include <fstream>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace meetgate::prosody {
namespace {

// The uid of a user in /etc/passwd. getpwnam() would need NSS libraries that a static
// binary does not carry, and /etc/passwd is what container images have.
std::optional<uid_t> passwd_uid(const std::string& name) {
  std::ifstream passwd("/etc/passwd");
  std::string line;
  while (std::getline(passwd, line)) {
    const auto first = line.find(':');
    if (line.substr(0, first) != name)
      continue;
    const auto second = line.find(':', first + 1);
    const auto third = line.find(':', second + 1);
    if (second == std::string::npos || third == std::string::npos)
      return std::nullopt;
    unsigned long uid = 0;
    const char* begin = line.data() + second + 1;
    const char* end = line.data() + third;
    if (std::from_chars(begin, end, uid).ptr != end)
      return std::nullopt;
    return static_cast<uid_t>(uid);
  }
  return std::nullopt;
}

}  // namespace

void check_data_directory(const std::filesystem::path& data_path, util::Problems& problems) {
  struct stat info {};
  if (::stat(data_path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    problems.push_back({data_path.string(),
                        "Prosody's data directory is not there: mount the server's data volume "
                        "here, or point MEETGATE_DATA_PATH at it"});
    return;
  }

  const uid_t self = geteuid();
  if (self != 0 && self != info.st_uid) {
    problems.push_back({data_path.string(),
                        fmt::format("belongs to uid {} but meetgate runs as uid {}: run meetgate "
                                    "as uid {} so that Prosody can read the accounts it writes",
                                    info.st_uid, self, info.st_uid)});
    return;
  }
  if (self == 0) {
    // As root, prosodyctl switches to the `prosody` user, and carries on as root when that
    // user is missing, leaving files the server cannot read.
    const auto prosody_uid = passwd_uid("prosody");
    if (!prosody_uid || *prosody_uid != info.st_uid) {
      problems.push_back(
          {data_path.string(),
           fmt::format(
               "belongs to uid {}, but prosodyctl run as root would write "
               "as the 'prosody' user ({}): run meetgate as the uid the Prosody server "
               "runs as, and make the directory that uid's (chown -R)",
               info.st_uid,
               prosody_uid ? fmt::format("uid {}", *prosody_uid) : std::string("missing"))});
    }
  }
}

}  // namespace meetgate::prosody
