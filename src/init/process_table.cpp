// Reading parent pids from /proc (see process_table.hpp).
#include "init/process_table.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <string>
#include <system_error>

namespace meetgate::init {
namespace {

std::optional<pid_t> parse_pid(std::string_view text) {
  pid_t pid = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return pid;
}

std::string first_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::optional<pid_t> parent_from_stat(std::string_view stat) {
  // After the name: " <state> <ppid> ...".
  const auto name_end = stat.rfind(')');
  if (name_end == std::string_view::npos)
    return std::nullopt;
  auto rest = stat.substr(name_end + 1);
  const auto state = rest.find_first_not_of(' ');
  const auto ppid_start = rest.find(' ', state);
  if (state == std::string_view::npos || ppid_start == std::string_view::npos)
    return std::nullopt;
  rest = rest.substr(ppid_start + 1);
  return parse_pid(rest.substr(0, rest.find(' ')));
}

std::vector<pid_t> children_of(pid_t parent, const std::filesystem::path& proc_root) {
  std::vector<pid_t> children;
  std::error_code error;
  for (std::filesystem::directory_iterator it(proc_root, error), end; !error && it != end;
       it.increment(error)) {
    const auto pid = parse_pid(it->path().filename().native());
    if (!pid)
      continue;  // not a process: /proc/self, /proc/sys, ...

    const auto stat = first_line(it->path() / "stat");
    if (parent_from_stat(stat) == parent)
      children.push_back(*pid);
  }
  std::sort(children.begin(), children.end());
  return children;
}

}  // namespace meetgate::init
