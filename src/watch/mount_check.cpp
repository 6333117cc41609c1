// Reading /proc/self/mountinfo for mounts that pin the users source.
#include "watch/mount_check.hpp"

#include <optional>
#include <sstream>
#include <system_error>
#include <vector>

#include "util/file_io.hpp"

namespace meetgate::watch {
namespace {

struct MountEntry {
  std::string root;         // the path inside the mounted file system
  std::string mount_point;  // where it is mounted in this namespace
};

// mountinfo writes space, tab, newline and backslash in paths as \ooo octal escapes.
std::string unescape(std::string_view field) {
  std::string text;
  for (std::size_t i = 0; i < field.size(); ++i) {
    const std::string_view digits = field.substr(i + 1, 3);
    const bool octal = field[i] == '\\' && digits.size() == 3 &&
                       digits.find_first_not_of("01234567") == std::string_view::npos;
    if (!octal) {
      text += field[i];
      continue;
    }
    text += static_cast<char>((digits[0] - '0') * 64 + (digits[1] - '0') * 8 + (digits[2] - '0'));
    i += 3;
  }
  return text;
}

// Fields: id, parent id, major:minor, root, mount point, options, ...
std::optional<MountEntry> parse_line(const std::string& line) {
  std::istringstream fields(line);
  std::string id, parent, device, root, mount_point;
  if (!(fields >> id >> parent >> device >> root >> mount_point))
    return std::nullopt;
  return MountEntry{unescape(root), unescape(mount_point)};
}

// The kubelet bind-mounts a subPath from `.../volume-subpaths/...`, or from inside a
// volume's directory `.../volumes/kubernetes.io~configmap/<volume>/<more>`; a whole
// volume mounted at the path ends at `<volume>` and does see updates.
bool is_subpath_root(const std::filesystem::path& root) {
  const std::vector<std::string> parts(root.begin(), root.end());
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i] == "volume-subpaths")
      return true;
    const bool volume_type = parts[i - 1] == "volumes" && parts[i].find('~') != std::string::npos;
    if (volume_type && parts.size() > i + 2)
      return true;
  }
  return false;
}

}  // namespace

std::string mount_warning(std::string_view mountinfo, const std::filesystem::path& source,
                          bool source_is_directory) {
  // Later lines are mounted on top of earlier ones: the last match is what we see.
  std::optional<MountEntry> match;
  std::istringstream lines{std::string(mountinfo)};
  for (std::string line; std::getline(lines, line);)
    if (auto entry = parse_line(line); entry && entry->mount_point == source.string())
      match = std::move(*entry);
  if (!match)
    return "";

  const std::string where = "users source " + source.string();
  if (is_subpath_root(match->root))
    return where +
           " is a Kubernetes subPath mount: it will never see updates to its ConfigMap or "
           "Secret; mount the whole volume on a directory instead";
  if (!source_is_directory)
    return where +
           " is a single-file bind mount: it will never see updates that replace the file "
           "(editors, sed -i, kubectl); mount the directory that holds it instead";
  return "";
}

std::string read_mount_warning(const std::filesystem::path& source) {
  std::error_code error;
  const auto resolved = std::filesystem::weakly_canonical(source, error);
  if (error)
    return "";
  const bool is_directory = std::filesystem::is_directory(resolved, error);

  try {
    return mount_warning(util::read_file("/proc/self/mountinfo"), resolved, is_directory);
  } catch (const std::system_error&) {
    // Without /proc (some sandboxes) there is nothing to check; watching still works.
    return "";
  }
}

}  // namespace meetgate::watch
