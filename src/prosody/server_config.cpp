#include "prosody/server_config.hpp"

namespace meetgate::prosody {
namespace {

std::string_view skip_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  return text;
}

// The value of `<name> = "..."` on this line, if the line is exactly that (plus an
// optional ';' and comment). Only a plain literal: concatenation or os.getenv() is Lua
// that only Prosody can evaluate (for data_path, MEETGATE_DATA_PATH is needed then).
std::optional<std::string> assignment_value(std::string_view line, std::string_view name) {
  line = skip_blanks(line);
  if (!line.starts_with(name))
    return std::nullopt;
  line = skip_blanks(line.substr(name.size()));
  if (!line.starts_with('='))
    return std::nullopt;
  line = skip_blanks(line.substr(1));
  if (line.empty() || (line.front() != '"' && line.front() != '\''))
    return std::nullopt;

  const char quote = line.front();
  const size_t close = line.find(quote, 1);
  if (close == std::string_view::npos)
    return std::nullopt;
  const std::string_view value = line.substr(1, close - 1);
  if (value.find('\\') != std::string_view::npos)
    return std::nullopt;

  std::string_view rest = skip_blanks(line.substr(close + 1));
  if (rest.starts_with(';'))
    rest = skip_blanks(rest.substr(1));
  if (!rest.empty() && !rest.starts_with("--"))
    return std::nullopt;
  return std::string(value);
}

}  // namespace

std::optional<std::string> read_data_path(std::string_view config_text) {
  return read_global_string(config_text, "data_path");
}

std::optional<std::string> read_global_string(std::string_view config_text, std::string_view name) {
  std::optional<std::string> found;
  size_t start = 0;
  while (start < config_text.size()) {
    size_t end = config_text.find('\n', start);
    if (end == std::string_view::npos)
      end = config_text.size();
    std::string_view line = config_text.substr(start, end - start);
    if (line.ends_with('\r'))
      line.remove_suffix(1);

    // The first VirtualHost or Component ends the global section.
    if (line.starts_with("VirtualHost") || line.starts_with("Component"))
      break;
    if (auto value = assignment_value(line, name))
      found = value;
    start = end + 1;
  }
  return found;
}

}  // namespace meetgate::prosody
