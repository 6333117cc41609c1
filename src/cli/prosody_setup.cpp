#include "cli/prosody_setup.hpp"

#include <fstream>
#include <system_error>

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prosody/server_config.hpp"
#include "render/prosody_config.hpp"
#include "render/unified_diff.hpp"
#include "util/file_io.hpp"

namespace meetgate::cli {
namespace {

// docker-jitsi-meet's rootless images (stable-11146-2 and later) keep accounts here.
constexpr const char* kDefaultDataPath = "/var/lib/prosody/data";

std::optional<std::string> existing_text(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error))
    return std::nullopt;
  return util::read_file(path);
}

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
    return static_cast<uid_t>(std::stoul(line.substr(second + 1, third - second - 1)));
  }
  return std::nullopt;
}

}  // namespace

ProsodyRender render_prosody_target(const config::Settings& settings, bool dry_run) {
  const auto& path = settings.prosody_config;
  const auto before = existing_text(path);
  if (before && !render::is_generated_by_meetgate(*before)) {
    return {ProsodyRender::Result::kForeign, {}};
  }

  render::ProsodyConfigInput input;
  input.data_path = settings.data_path.value_or(kDefaultDataPath).string();
  input.main_domain = settings.xmpp.domain;
  input.auth_domain = settings.xmpp.auth_domain;
  input.guest_domain = settings.xmpp.guest_domain;
  input.enable_auth = settings.xmpp.enable_auth;
  input.enable_guests = settings.xmpp.enable_guests;
  input.guest_auth_type = settings.xmpp.guest_auth_type;
  const std::string after = render::render_prosody_config(input);

  if (dry_run) {
    const auto diff = render::unified_diff(before.value_or(""), after, path.string());
    const auto result =
        diff.empty() ? ProsodyRender::Result::kUnchanged : ProsodyRender::Result::kWritten;
    return {result, diff};
  }
  std::filesystem::create_directories(path.parent_path());
  const bool written = util::write_file_atomically(path, after, {});
  return {written ? ProsodyRender::Result::kWritten : ProsodyRender::Result::kUnchanged, {}};
}

std::optional<std::filesystem::path> resolve_data_path(const config::Settings& settings,
                                                       util::Problems& problems) {
  if (settings.data_path)
    return settings.data_path;

  std::optional<std::string> text;
  try {
    text = existing_text(settings.prosody_config);
  } catch (const std::system_error& error) {
    problems.push_back({"MEETGATE_PROSODY_CONFIG", error.what()});
    return std::nullopt;
  }
  if (!text || render::is_generated_by_meetgate(*text))
    return kDefaultDataPath;

  if (auto data_path = prosody::read_data_path(*text))
    return *data_path;
  problems.push_back({settings.prosody_config.string(),
                      "sets no plain data_path = \"...\": set MEETGATE_DATA_PATH to Prosody's "
                      "data directory"});
  return std::nullopt;
}

void check_data_directory(const std::filesystem::path& data_path, util::Problems& problems) {
  struct stat info {};
  if (::stat(data_path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    problems.push_back({data_path.string(),
                        "Prosody's data directory is not there: mount the server's data volume "
                        "here, or set MEETGATE_DATA_PATH"});
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
           fmt::format("belongs to uid {}, but prosodyctl run as root would write "
                       "as the 'prosody' user ({}): run meetgate as uid {}",
                       info.st_uid,
                       prosody_uid ? fmt::format("uid {}", *prosody_uid) : std::string("missing"),
                       info.st_uid)});
    }
  }
}

}  // namespace meetgate::cli
