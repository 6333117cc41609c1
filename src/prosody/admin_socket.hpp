// Prosody's admin socket: where `prosodyctl shell` connects, and whether it answers.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace meetgate::prosody {

// Where the server listens: the config's `admin_socket` (relative to the data
// directory, as Prosody resolves it), else `<data_path>/prosody.sock`, its default.
std::filesystem::path admin_socket_path(const std::optional<std::string>& configured,
                                        const std::filesystem::path& data_path);

// Why the admin socket does not answer, or "" when it does: one connect() to the unix
// socket, closed at once. Nothing is started or sent, so it costs well under a
// millisecond; a stale socket file left by a stopped server refuses the connection.
std::string admin_socket_problem(const std::filesystem::path& path);

}  // namespace meetgate::prosody
