// The variables meetgate reads: the process environment, `X_FILE` indirection for
// secrets, and command-line options layered on top (every option has a variable).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "util/problem.hpp"

namespace meetgate::config {

class Environment {
 public:
  // Reads a file named by an `X_FILE` variable; throws std::system_error on failure.
  using FileReader = std::function<std::string(const std::string& path)>;

  explicit Environment(std::map<std::string, std::string> variables, FileReader reader = {});

  // A snapshot of this process's environment.
  static Environment from_process();

  // A command-line option: wins over the variable and its `_FILE` form.
  void set_override(const std::string& name, std::string value);

  // The value of `name`: the override, else `name`, else the contents of the file named
  // by `name_FILE` (one trailing newline stripped). An empty `name` beside `name_FILE`
  // counts as unset; both set, or an unreadable file, adds a problem and yields nullopt.
  // Otherwise an empty value counts as set.
  std::optional<std::string> get(const std::string& name, util::Problems& problems) const;

 private:
  std::map<std::string, std::string> variables_;
  std::map<std::string, std::string> overrides_;
  FileReader reader_;
};

}  // namespace meetgate::config
