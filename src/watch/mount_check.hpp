// Spots users sources mounted so that they never see updates: a single-file bind mount
// or a Kubernetes subPath mount, read from /proc/self/mountinfo.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace meetgate::watch {

// Pure: `mountinfo` is the text of /proc/self/mountinfo, `source` the absolute users
// path with symlinks resolved. Returns a warning saying the source will not see
// updates and to mount its directory instead, or an empty string when it is fine.
std::string mount_warning(std::string_view mountinfo, const std::filesystem::path& source,
                          bool source_is_directory);

// The same for this process's real mounts; empty when /proc is not readable.
std::string read_mount_warning(const std::filesystem::path& source);

}  // namespace meetgate::watch
