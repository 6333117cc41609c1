#include "config/environment.hpp"

#include <system_error>

#include "util/file_io.hpp"

extern char** environ;

namespace meetgate::config {

Environment::Environment(std::map<std::string, std::string> variables, FileReader reader)
    : variables_(std::move(variables)), reader_(std::move(reader)) {
  if (!reader_) {
    reader_ = [](const std::string& path) { return util::read_file(path); };
  }
}

Environment Environment::from_process() {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto equals = text.find('=');
    if (equals == std::string_view::npos)
      continue;
    variables.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return Environment(std::move(variables));
}

void Environment::set_override(const std::string& name, std::string value) {
  overrides_[name] = std::move(value);
}

std::optional<std::string> Environment::get(const std::string& name,
                                            util::Problems& problems) const {
  if (auto it = overrides_.find(name); it != overrides_.end())
    return it->second;

  auto direct = variables_.find(name);
  auto file = variables_.find(name + "_FILE");

  // docker-jitsi-meet's compose files pass every variable of .env through, so an
  // empty `X=` next to `X_FILE` is how "unset" looks there: the file wins.
  if (direct != variables_.end() && direct->second.empty() && file != variables_.end()) {
    direct = variables_.end();
  }
  if (direct != variables_.end() && file != variables_.end()) {
    problems.push_back({name, "both " + name + " and " + name + "_FILE are set: keep one"});
    return std::nullopt;
  }
  if (direct != variables_.end())
    return direct->second;
  if (file == variables_.end())
    return std::nullopt;

  // Secrets mounted from files (Docker and Kubernetes secrets) end with one newline
  // that is not part of the value.
  try {
    std::string content = reader_(file->second);
    if (content.ends_with("\r\n")) {
      content.resize(content.size() - 2);
    } else if (content.ends_with('\n')) {
      content.pop_back();
    }
    return content;
  } catch (const std::system_error& error) {
    problems.push_back({name + "_FILE", error.what()});
    return std::nullopt;
  }
}

}  // namespace meetgate::config
