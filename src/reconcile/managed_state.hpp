// The state file: which accounts meetgate manages, so that it deletes only what it
// created or adopted. JSON, mode 0600, no passwords or hashes of them.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace meetgate::reconcile {

inline constexpr std::string_view kStateFileName = "meetgate-state.json";

class ManagedState {
 public:
  bool contains(const std::string& host, const std::string& username) const;
  void add(const std::string& host, const std::string& username);
  void remove(const std::string& host, const std::string& username);
  size_t count(const std::string& host) const;
  size_t total() const;
  const std::map<std::string, std::set<std::string>>& hosts() const { return managed_; }

  std::string to_json() const;
  // Throws std::runtime_error saying what is wrong (never quoting the text) when
  // `text` is not a state file.
  static ManagedState from_json(std::string_view text);

  bool operator==(const ManagedState&) const = default;

 private:
  std::map<std::string, std::set<std::string>> managed_;
};

// The state in `data_path`: empty when there is no file yet. Throws std::runtime_error
// naming the file when it exists but cannot be read or parsed: better to stop than to
// forget which accounts are ours.
ManagedState load_managed_state(const std::filesystem::path& data_path);

// Writes it atomically, 0600, owned like the data directory when meetgate runs as root.
void save_managed_state(const std::filesystem::path& data_path, const ManagedState& state);

}  // namespace meetgate::reconcile
