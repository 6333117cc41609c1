#include "config/value_parsers.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace meetgate::config {
namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return result;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string result;
  for (const auto& item : items) {
    if (!result.empty())
      result += separator;
    result += item;
  }
  return result;
}

}  // namespace

std::optional<bool> parse_bool(std::string_view name, std::string_view value,
                               util::Problems& problems) {
  const std::string word = lower(value);
  if (word == "1" || word == "true" || word == "yes" || word == "on")
    return true;
  if (word == "0" || word == "false" || word == "no" || word == "off")
    return false;

  problems.push_back(
      {std::string(name),
       fmt::format("\"{}\" is not a boolean: use 1/0, true/false, yes/no or on/off", value)});
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view name,
                                                        std::string_view value,
                                                        util::Problems& problems) {
  long long amount = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), amount);
  const std::string_view unit(end, value.data() + value.size() - end);

  long long factor = 0;
  if (unit == "ms")
    factor = 1;
  if (unit == "s")
    factor = 1000;
  if (unit == "m")
    factor = 60'000;
  if (unit == "h")
    factor = 3'600'000;

  const bool in_range = amount > 0 && amount <= 100LL * 24 * 3'600'000 / std::max(factor, 1LL);
  if (error != std::errc() || end == value.data() || factor == 0 || !in_range) {
    problems.push_back(
        {std::string(name),
         fmt::format("\"{}\" is not a duration: use a positive whole number with ms, s, m or h, "
                     "e.g. 250ms, 10s, 5m",
                     value)});
    return std::nullopt;
  }
  return std::chrono::milliseconds(amount * factor);
}

std::optional<long> parse_integer(std::string_view name, std::string_view value, long min, long max,
                                  util::Problems& problems) {
  long number = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size() || number < min || number > max) {
    problems.push_back({std::string(name), fmt::format("\"{}\" is not a whole number from {} to {}",
                                                       value, min, max)});
    return std::nullopt;
  }
  return number;
}

std::optional<std::string> parse_choice(std::string_view name, std::string_view value,
                                        const std::vector<std::string>& choices,
                                        util::Problems& problems) {
  const std::string word = lower(value);
  for (const auto& choice : choices) {
    if (lower(choice) == word)
      return choice;
  }
  problems.push_back(
      {std::string(name), fmt::format("\"{}\" is not one of: {}", value, join(choices, ", "))});
  return std::nullopt;
}

bool is_valid_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253)
    return false;

  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string_view::npos)
      dot = name.size();
    const std::string_view label = name.substr(start, dot - start);
    if (label.empty() || label.size() > 63)
      return false;
    if (label.front() == '-' || label.back() == '-')
      return false;
    for (unsigned char c : label) {
      if (!std::isalnum(c) && c != '-')
        return false;
    }
    start = dot + 1;
  }
  return true;
}

}  // namespace meetgate::config
