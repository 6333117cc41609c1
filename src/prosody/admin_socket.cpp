// Finds Prosody's admin socket and checks that a server listens on it.
#include "prosody/admin_socket.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "util/os_error.hpp"
#include "util/unique_fd.hpp"

namespace meetgate::prosody {

std::filesystem::path admin_socket_path(const std::optional<std::string>& configured,
                                        const std::filesystem::path& data_path) {
  if (!configured || configured->empty())
    return data_path / "prosody.sock";
  std::filesystem::path path(*configured);
  return path.is_absolute() ? path : data_path / path;
}

std::string admin_socket_problem(const std::filesystem::path& path) {
  const std::string name = path.string();
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (name.size() >= sizeof address.sun_path)
    return "connect " + name + ": path too long for a unix socket";
  std::memcpy(address.sun_path, name.c_str(), name.size() + 1);

  // Non-blocking: a listener with a full backlog answers EAGAIN at once instead of
  // making us wait; it is alive, so it counts as answering.
  util::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) {
    const int error = errno;
    return "socket: " + util::os_reason(error);
  }
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0)
    return {};
  const int error = errno;
  if (error == EAGAIN || error == EINPROGRESS)
    return {};
  return "connect " + name + ": " + util::os_reason(error);
}

}  // namespace meetgate::prosody
