// Fuzzes the JSON users source from reading to the checked accounts, and that no
// problem ever quotes a password. password_file is followed only inside a directory of
// the fuzzer's own (relative names, no ".."): the fuzzer must not open whatever file
// or device an input names.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "users/json_format.hpp"
#include "users_support.hpp"

namespace {

namespace fs = std::filesystem;

// A directory beside the fuzzed users.json with password files to name: a plain one,
// an empty one, one too large, and a subdirectory.
const fs::path& users_directory() {
  // Never destroyed: the exit handler below still needs it after static destructors.
  static const fs::path* const directory = [] {
    const auto path = new fs::path(fs::temp_directory_path() /
                                   ("meetgate-fuzz-users-" + std::to_string(::getpid())));
    fs::create_directories(*path / "secrets");
    std::ofstream(*path / "alice.pw") << "pw!alice\n";
    std::ofstream(*path / "empty.pw");
    std::ofstream(*path / "big.pw") << std::string(std::size_t{70} << 10, 'x');
    std::ofstream(*path / "secrets" / "bob") << "pw|bob\r\n";
    std::atexit([] { fs::remove_all(users_directory()); });
    return path;
  }();
  return *directory;
}

// Whether every password_file the input names stays inside users_directory().
bool stays_inside(std::string_view content) {
  const auto document = nlohmann::json::parse(content, nullptr, false);
  if (!document.is_object() || !document.contains("users") || !document["users"].is_array())
    return true;
  for (const auto& user : document["users"]) {
    if (!user.is_object() || !user.contains("password_file") || !user["password_file"].is_string())
      continue;
    const fs::path file = user["password_file"].get<std::string>();
    if (file.is_absolute())
      return false;
    for (const auto& part : file) {
      if (part == "..")
        return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  if (!stays_inside(content))
    return 0;
  const std::string name = (users_directory() / "users.json").string();
  const auto domains = meetgate::fuzz::users_domains();

  const auto raw = meetgate::users::read_json_entries(content, name);
  const auto result = meetgate::users::parse_json_users(content, name, domains);

  meetgate::fuzz::check_load(result, raw, content);
  return 0;
}
