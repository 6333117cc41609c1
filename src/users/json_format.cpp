// The JSON users file. Unknown keys are errors: a typo such as "pasword" must not
// quietly leave a user without a password.
#include "users/json_format.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "users/source_file.hpp"

namespace meetgate::users {
namespace {

using nlohmann::json;

// nlohmann's names for what it expected: safe to show, they never hold the input.
constexpr std::array<std::string_view, 16> kTokenNames = {"<uninitialized>",
                                                          "true literal",
                                                          "false literal",
                                                          "null literal",
                                                          "string literal",
                                                          "number literal",
                                                          "'['",
                                                          "'{'",
                                                          "']'",
                                                          "'}'",
                                                          "':'",
                                                          "','",
                                                          "<parse error>",
                                                          "end of input",
                                                          "'[', '{', or a literal",
                                                          "unknown token"};

// "at line 3, column 5: syntax error while parsing ..." from nlohmann's message,
// without the "last read" excerpt, which may be part of a password.
std::string describe_parse_error(const json::parse_error& error) {
  std::string message = error.what();
  const auto start = message.find(" at line ");
  message = start == std::string::npos ? "" : message.substr(start + 1);

  const auto last_read = message.find("; last read: '");
  if (last_read == std::string::npos)
    return message;
  std::string safe = message.substr(0, last_read);
  for (std::string_view name : kTokenNames) {
    const std::string expected = "; expected " + std::string(name);
    if (message.ends_with(expected))
      return safe + expected;
  }
  return safe;
}

std::string quote_key(const std::string& key) {
  return json(key).dump();
}

// One element of "users"; its problems go to `raw` under `location`.
void read_user(const json& user, const std::string& location, std::string_view name,
               std::size_t& budget, RawEntries& raw) {
  auto problem = [&](std::string what) { raw.problems.push_back({location, std::move(what)}); };
  if (!user.is_object())
    return problem("must be an object with \"username\" and \"password\"");

  const std::size_t before = raw.problems.size();
  for (const auto& [key, value] : user.items()) {
    if (key != "username" && key != "password" && key != "password_file") {
      problem("unknown key " + quote_key(key) +
              " (allowed: \"username\", \"password\", \"password_file\")");
    } else if (!value.is_string()) {
      problem(quote_key(key) + " must be a string");
    }
  }
  if (!user.contains("username"))
    problem("missing \"username\"");
  if (user.contains("password") && user.contains("password_file")) {
    problem("give either \"password\" or \"password_file\", not both");
  } else if (!user.contains("password") && !user.contains("password_file")) {
    problem("missing \"password\" (or \"password_file\")");
  }
  if (raw.problems.size() != before)
    return;

  RawEntry entry{user.at("username").get<std::string>(), "", location};
  if (user.contains("password")) {
    entry.password = user.at("password").get<std::string>();
    raw.entries.push_back(std::move(entry));
    return;
  }

  // A relative password_file is found from the users file's directory, not the cwd.
  const auto path =
      std::filesystem::path(name).parent_path() / user.at("password_file").get<std::string>();
  std::string error;
  auto password = read_password_file(path, "password_file " + path.string(), budget, error);
  if (!password)
    return problem(std::move(error));
  entry.password = std::move(*password);
  raw.entries.push_back(std::move(entry));
}

}  // namespace

RawEntries read_json_entries(std::string_view content, std::string_view name) {
  RawEntries raw;
  const std::string where(name);
  json document;
  try {
    document = json::parse(content);
  } catch (const json::parse_error& error) {
    raw.problems.push_back({where, "invalid JSON " + describe_parse_error(error)});
    return raw;
  } catch (const json::out_of_range&) {
    // nlohmann's text quotes the number, which could be a password typed without quotes.
    raw.problems.push_back({where, "invalid JSON: a number is too large"});
    return raw;
  }

  // The top level: an object whose only key is "users", an array.
  if (!document.is_object()) {
    raw.problems.push_back({where, "must be a JSON object: {\"users\": [...]}"});
    return raw;
  }
  for (const auto& [key, value] : document.items()) {
    if (key != "users") {
      raw.problems.push_back({where, "unknown key " + quote_key(key) + " (allowed: \"users\")"});
    }
  }
  if (!document.contains("users")) {
    raw.problems.push_back({where, "missing \"users\": {\"users\": [...]}"});
    return raw;
  }
  if (!document["users"].is_array()) {
    raw.problems.push_back({where, "\"users\" must be an array"});
    return raw;
  }

  const json& users = document["users"];
  std::size_t budget = kMaxSourceBytes - std::min(content.size(), kMaxSourceBytes);
  for (std::size_t i = 0; i < users.size(); ++i) {
    read_user(users[i], where + ": users[" + std::to_string(i) + "]", name, budget, raw);
  }
  return raw;
}

}  // namespace meetgate::users
