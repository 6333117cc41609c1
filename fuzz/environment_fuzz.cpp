// Fuzzes reading meetgate's settings from its environment: the input is NAME=VALUE
// lines; a line "@path=content" instead makes a file an X_FILE variable can name.
// Beyond "no crash": a service password never shows up in a problem.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "config/settings.hpp"
#include "fuzz_support.hpp"

namespace {

using meetgate::fuzz::check;
using meetgate::fuzz::contains;

struct FuzzEnvironment {
  std::map<std::string, std::string> variables;
  std::map<std::string, std::string> files;
};

// Lines end at '\n' only: a value may hold '\r', as a value from a file may.
FuzzEnvironment environment_from(std::string_view text) {
  FuzzEnvironment environment;
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    const auto line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));

    const auto equals = line.find('=');
    if (equals == std::string_view::npos)
      continue;
    const std::string name(line.substr(0, equals));
    const std::string value(line.substr(equals + 1));
    if (name.starts_with('@'))
      environment.files[name.substr(1)] = value;
    else
      environment.variables[name] = value;
  }
  return environment;
}

std::size_t occurrences(std::string_view text, std::string_view part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1))
    ++count;
  return count;
}

// The passwords as load_settings read them must not appear in what it says is wrong;
// checked for those that have a character no message is made of and that are written
// once in the input. A problem may quote other variables' values and files.
void check_no_password_quoted(const meetgate::config::SettingsLoad& load, std::string_view text,
                              const FuzzEnvironment& fuzzed) {
  const auto& xmpp = load.settings.xmpp;
  for (const auto* password : {&xmpp.jicofo_password, &xmpp.jvb_password, &xmpp.jigasi_password}) {
    if (!*password || (*password)->size() < 4 ||
        (*password)->find_first_of(meetgate::fuzz::kTelltales) == std::string::npos ||
        occurrences(text, **password) != 1)
      continue;
    std::vector<std::string> quoted;
    for (const auto& [name, value] : fuzzed.variables) {
      if (!contains(value, **password))  // its own variable, or a copy of it, is no alibi
        quoted.push_back(value);
    }
    for (const auto& [path, content] : fuzzed.files) {
      if (!contains(content, **password))
        quoted.push_back(content);
    }
    for (const auto& problem : load.problems) {
      check(!meetgate::fuzz::shows_secret(problem.to_string(), **password, quoted),
            "a problem quotes a service password");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto fuzzed = environment_from(text);
  const auto files = fuzzed.files;
  meetgate::config::Environment environment(fuzzed.variables, [files](const std::string& path) {
    const auto file = files.find(path);
    if (file == files.end())
      throw std::system_error(ENOENT, std::generic_category(), "open " + path);
    return file->second;
  });

  const auto load = meetgate::config::load_settings(environment);
  check_no_password_quoted(load, text, fuzzed);
  if (load.problems.empty()) {
    load.settings.protected_usernames();
    load.settings.service_accounts_to_keep();
  }
  return 0;
}
