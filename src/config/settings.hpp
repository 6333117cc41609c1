// Everything meetgate is told through its environment (docker-jitsi-meet's names and
// defaults, plus MEETGATE_*), checked strictly and all at once.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/environment.hpp"
#include "util/problem.hpp"

namespace meetgate::config {

enum class Prune { kManaged, kAll, kNone };
enum class Backend { kAuto, kOnline, kOffline };
enum class WatchMode { kInotify, kPoll };

// A service account meetgate keeps when MEETGATE_SERVICE_ACCOUNTS is on.
struct ServiceAccount {
  std::string username;
  std::string password;       // never logged
  std::string variable;       // where the password came from, e.g. "JICOFO_AUTH_PASSWORD"
  std::string user_variable;  // where the username came from, e.g. "JICOFO_AUTH_USER"
};

struct XmppSettings {
  std::string domain = "meet.jitsi";
  std::string auth_domain = "auth.meet.jitsi";
  std::string guest_domain = "guest.meet.jitsi";
  std::string muc_domain = "muc.meet.jitsi";
  std::string public_url = "https://localhost:8443";
  bool enable_auth = false;
  bool enable_guests = false;
  std::string auth_type = "internal";
  std::string guest_auth_type = "jitsi-anonymous";
  std::string jicofo_auth_type;  // defaults to auth_type
  std::string jicofo_auth_lifetime = "24 hours";
  bool enable_auto_login = true;
  std::string jicofo_user = "focus";
  std::string jvb_user = "jvb";
  std::string jigasi_user = "jigasi";
  std::optional<std::string> jicofo_password;
  std::optional<std::string> jvb_password;
  std::optional<std::string> jigasi_password;
};

struct Settings {
  XmppSettings xmpp;

  std::optional<std::filesystem::path> users;
  std::filesystem::path prosody_config = "/config/prosody.cfg.lua";
  std::optional<std::filesystem::path> data_path;  // unset: from the config, or the default
  std::string prosodyctl = "prosodyctl";
  std::chrono::milliseconds prosodyctl_timeout{60'000};
  Backend backend = Backend::kAuto;
  int jobs = 1;
  Prune prune = Prune::kManaged;
  int max_delete_percent = 50;
  bool service_accounts = false;
  std::chrono::milliseconds resync_interval{5 * 60'000};
  std::chrono::milliseconds debounce{250};
  WatchMode watch = WatchMode::kInotify;
  std::chrono::milliseconds poll_interval{2'000};
  std::optional<std::string> http_addr;
  std::string layout = "docker-jitsi-meet";
  std::optional<std::vector<std::string>> render_targets;     // unset: the command's default
  std::map<std::string, std::filesystem::path> render_files;  // MEETGATE_<TARGET>_FILE
  std::filesystem::path render_root = "/";     // --root: every render path is under it
  bool render_backup = false;                  // keep the previous file as <file>.meetgate-bak
  bool jigasi_trust_all_certificates = false;  // jigasi trusts any certificate (debug only)
  std::chrono::milliseconds stop_grace{10'000};
  bool exec = false;
  bool signal_group = true;  // run forwards signals to CMD's process group, not CMD alone
  std::string log_level = "info";
  std::string log_format = "text";

  // Accounts that are never deleted: the well-known Jitsi components plus the
  // configured component users.
  std::vector<std::string> protected_usernames() const;

  // The service accounts to keep (MEETGATE_SERVICE_ACCOUNTS on, password set).
  std::vector<ServiceAccount> service_accounts_to_keep() const;
};

struct SettingsLoad {
  Settings settings;
  util::Problems problems;  // empty when the settings can be used
};

// Reads and checks every variable, then the cross-checks users hit in practice.
SettingsLoad load_settings(const Environment& environment);

}  // namespace meetgate::config
