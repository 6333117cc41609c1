#include "reconcile/managed_state.hpp"

#include <stdexcept>
#include <system_error>

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "build_info.hpp"
#include "util/file_io.hpp"

namespace meetgate::reconcile {

bool ManagedState::contains(const std::string& host, const std::string& username) const {
  auto it = managed_.find(host);
  return it != managed_.end() && it->second.count(username) > 0;
}

void ManagedState::add(const std::string& host, const std::string& username) {
  managed_[host].insert(username);
}

void ManagedState::remove(const std::string& host, const std::string& username) {
  auto it = managed_.find(host);
  if (it == managed_.end())
    return;
  it->second.erase(username);
  if (it->second.empty())
    managed_.erase(it);
}

size_t ManagedState::count(const std::string& host) const {
  auto it = managed_.find(host);
  return it == managed_.end() ? 0 : it->second.size();
}

size_t ManagedState::total() const {
  size_t total = 0;
  for (const auto& [host, users] : managed_)
    total += users.size();
  return total;
}

std::string ManagedState::to_json() const {
  nlohmann::ordered_json json;
  json["version"] = 1;
  json["written_by"] = std::string("meetgate ") + kVersion;
  json["managed"] = nlohmann::ordered_json::object();
  for (const auto& [host, users] : managed_) {
    json["managed"][host] = std::vector<std::string>(users.begin(), users.end());
  }
  return json.dump(2) + "\n";
}

ManagedState ManagedState::from_json(std::string_view text) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // Not error.what(): it quotes what it read, and this must name no file content.
    throw std::runtime_error(fmt::format("invalid JSON near byte {}", error.byte));
  }
  if (!json.is_object() || json.value("version", 0) != 1 || !json.contains("managed") ||
      !json["managed"].is_object()) {
    throw std::runtime_error("not a meetgate state file of version 1");
  }

  ManagedState state;
  for (const auto& [host, users] : json["managed"].items()) {
    if (!users.is_array())
      throw std::runtime_error("managed." + host + " is not a list");
    for (const auto& user : users) {
      if (!user.is_string())
        throw std::runtime_error("managed." + host + " holds a non-string");
      state.add(host, user.get<std::string>());
    }
  }
  return state;
}

ManagedState load_managed_state(const std::filesystem::path& data_path) {
  const auto path = data_path / kStateFileName;
  std::error_code error;
  const auto status = std::filesystem::symlink_status(path, error);
  if (!std::filesystem::exists(status))
    return {};
  if (!std::filesystem::is_regular_file(status)) {
    throw std::runtime_error(
        fmt::format("state file {} is not a regular file (a link?): remove it", path.string()));
  }

  try {
    return ManagedState::from_json(util::read_file(path));
  } catch (const std::exception& failure) {
    throw std::runtime_error(
        fmt::format("state file {}: {}: fix or remove it (meetgate then "
                    "manages only accounts it creates or adopts again)",
                    path.string(), failure.what()));
  }
}

void save_managed_state(const std::filesystem::path& data_path, const ManagedState& state) {
  util::WriteOptions options;
  options.mode = 0600;
  options.keep_existing_mode = false;
  options.follow_symlinks = false;

  // Root writes it as the data directory's owner, so a later non-root sidecar can too.
  struct stat data_dir {};
  if (geteuid() == 0 && ::stat(data_path.c_str(), &data_dir) == 0) {
    options.owner = data_dir.st_uid;
    options.group = data_dir.st_gid;
  }
  util::write_file_atomically(data_path / kStateFileName, state.to_json(), options);
}

}  // namespace meetgate::reconcile
