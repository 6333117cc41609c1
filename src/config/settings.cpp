#include "config/settings.hpp"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "config/cross_checks.hpp"
#include "config/value_parsers.hpp"
#include "prosody/stringprep.hpp"

namespace meetgate::config {
namespace {

// Reads one variable at a time into a field, collecting problems instead of stopping.
class VariableReader {
 public:
  VariableReader(const Environment& environment, util::Problems& problems)
      : environment_(environment), problems_(problems) {}

  std::optional<std::string> raw(const std::string& name) {
    return environment_.get(name, problems_);
  }

  void text(const std::string& name, std::string& field) {
    if (auto value = raw(name))
      field = *value;
  }

  void optional_text(const std::string& name, std::optional<std::string>& field) {
    if (auto value = raw(name))
      field = *value;
  }

  void boolean(const std::string& name, bool& field) {
    auto value = raw(name);
    if (!value)
      return;
    if (auto parsed = parse_bool(name, *value, problems_))
      field = *parsed;
  }

  void duration(const std::string& name, std::chrono::milliseconds& field) {
    auto value = raw(name);
    if (!value)
      return;
    if (auto parsed = parse_duration(name, *value, problems_))
      field = *parsed;
  }

  void integer(const std::string& name, int& field, long min, long max) {
    auto value = raw(name);
    if (!value)
      return;
    if (auto parsed = parse_integer(name, *value, min, max, problems_)) {
      field = static_cast<int>(*parsed);
    }
  }

  std::optional<std::string> choice(const std::string& name,
                                    const std::vector<std::string>& choices) {
    auto value = raw(name);
    if (!value)
      return std::nullopt;
    return parse_choice(name, *value, choices, problems_);
  }

 private:
  const Environment& environment_;
  util::Problems& problems_;
};

void read_xmpp(VariableReader& read, XmppSettings& xmpp) {
  read.text("XMPP_DOMAIN", xmpp.domain);
  read.text("XMPP_AUTH_DOMAIN", xmpp.auth_domain);
  read.text("XMPP_GUEST_DOMAIN", xmpp.guest_domain);
  read.text("XMPP_MUC_DOMAIN", xmpp.muc_domain);
  read.text("PUBLIC_URL", xmpp.public_url);
  read.boolean("ENABLE_AUTH", xmpp.enable_auth);
  read.boolean("ENABLE_GUESTS", xmpp.enable_guests);
  read.text("AUTH_TYPE", xmpp.auth_type);
  read.text("PROSODY_GUEST_AUTH_TYPE", xmpp.guest_auth_type);

  xmpp.jicofo_auth_type = xmpp.auth_type;
  read.text("JICOFO_AUTH_TYPE", xmpp.jicofo_auth_type);
  read.text("JICOFO_AUTH_LIFETIME", xmpp.jicofo_auth_lifetime);
  read.boolean("ENABLE_AUTO_LOGIN", xmpp.enable_auto_login);

  read.text("JICOFO_AUTH_USER", xmpp.jicofo_user);
  read.text("JVB_AUTH_USER", xmpp.jvb_user);
  read.text("JIGASI_XMPP_USER", xmpp.jigasi_user);
  read.optional_text("JICOFO_AUTH_PASSWORD", xmpp.jicofo_password);
  read.optional_text("JVB_AUTH_PASSWORD", xmpp.jvb_password);
  read.optional_text("JIGASI_XMPP_PASSWORD", xmpp.jigasi_password);
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = std::min(text.find(',', start), text.size());
    std::string item(text.substr(start, comma - start));
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty())
      items.push_back(item);
    start = comma + 1;
  }
  return items;
}

void read_paths(VariableReader& read, Settings& settings, util::Problems& problems) {
  if (auto users = read.raw("MEETGATE_USERS"); users && !users->empty()) {
    settings.users = *users;
  }
  if (auto config = read.raw("MEETGATE_PROSODY_CONFIG")) {
    settings.prosody_config = *config;
    if (!settings.prosody_config.is_absolute()) {
      problems.push_back(
          {"MEETGATE_PROSODY_CONFIG",
           fmt::format("\"{}\" is not an absolute path: prosodyctl needs one", *config)});
    }
  }
  if (auto data = read.raw("MEETGATE_DATA_PATH"); data && !data->empty()) {
    settings.data_path = *data;
    if (!settings.data_path->is_absolute()) {
      problems.push_back(
          {"MEETGATE_DATA_PATH", fmt::format("\"{}\" is not an absolute path: give Prosody's data "
                                             "directory as /...",
                                             *data)});
    }
  }
  read.text("MEETGATE_PROSODYCTL", settings.prosodyctl);
  read.duration("MEETGATE_PROSODYCTL_TIMEOUT", settings.prosodyctl_timeout);
}

void read_reconcile(VariableReader& read, Settings& settings) {
  if (auto backend = read.choice("MEETGATE_BACKEND", {"auto", "online", "offline"})) {
    settings.backend = *backend == "auto"     ? Backend::kAuto
                       : *backend == "online" ? Backend::kOnline
                                              : Backend::kOffline;
  }
  settings.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  read.integer("MEETGATE_JOBS", settings.jobs, 1, 256);

  if (auto prune = read.choice("MEETGATE_PRUNE", {"managed", "all", "none"})) {
    settings.prune = *prune == "managed" ? Prune::kManaged
                     : *prune == "all"   ? Prune::kAll
                                         : Prune::kNone;
  }
  read.integer("MEETGATE_MAX_DELETE_PERCENT", settings.max_delete_percent, 0, 100);
  read.boolean("MEETGATE_SERVICE_ACCOUNTS", settings.service_accounts);
}

void read_daemon(VariableReader& read, Settings& settings) {
  read.duration("MEETGATE_RESYNC_INTERVAL", settings.resync_interval);
  read.duration("MEETGATE_DEBOUNCE", settings.debounce);
  if (auto watch = read.choice("MEETGATE_WATCH", {"inotify", "poll"})) {
    settings.watch = *watch == "poll" ? WatchMode::kPoll : WatchMode::kInotify;
  }
  read.duration("MEETGATE_POLL_INTERVAL", settings.poll_interval);
  if (auto addr = read.raw("MEETGATE_HTTP_ADDR"); addr && !addr->empty()) {
    settings.http_addr = *addr;
  }
  read.duration("MEETGATE_STOP_GRACE", settings.stop_grace);
  read.boolean("MEETGATE_EXEC", settings.exec);
  read.boolean("MEETGATE_SIGNAL_GROUP", settings.signal_group);
}

void read_output(VariableReader& read, Settings& settings, util::Problems& problems) {
  if (auto layout = read.choice("MEETGATE_LAYOUT", {"docker-jitsi-meet", "debian"})) {
    settings.layout = *layout;
  }
  if (auto targets = read.raw("MEETGATE_RENDER")) {
    // Stored as spelled in the choices, so `--only Prosody` means prosody.
    settings.render_targets.emplace();
    for (const auto& target : split_list(*targets)) {
      const auto choice =
          parse_choice("MEETGATE_RENDER", target, {"prosody", "web", "jicofo", "jigasi"}, problems);
      if (choice)
        settings.render_targets->push_back(*choice);
    }
  }
  for (const char* target : {"prosody", "web", "jicofo", "jigasi"}) {
    std::string variable = "MEETGATE_" + std::string(target) + "_FILE";
    std::transform(variable.begin(), variable.end(), variable.begin(), ::toupper);
    if (auto file = read.raw(variable); file && !file->empty())
      settings.render_files[target] = *file;
  }
  if (auto root = read.raw("MEETGATE_RENDER_ROOT"); root && !root->empty())
    settings.render_root = *root;
  read.boolean("MEETGATE_RENDER_BACKUP", settings.render_backup);
  read.boolean("MEETGATE_JIGASI_TRUST_ALL_CERTIFICATES", settings.jigasi_trust_all_certificates);
  if (auto level = read.choice("LOG_LEVEL", {"debug", "info", "warn", "error"})) {
    settings.log_level = *level;
  }
  if (auto format = read.choice("LOG_FORMAT", {"text", "json"}))
    settings.log_format = *format;
}

}  // namespace

std::vector<std::string> Settings::protected_usernames() const {
  std::vector<std::string> names = {"focus", "jvb", "jibri", "jigasi", "recorder", "transcriber"};
  for (const auto& configured : {xmpp.jicofo_user, xmpp.jvb_user, xmpp.jigasi_user}) {
    // As Prosody stores it: JVB_AUTH_USER=JVB2 protects the account "jvb2".
    const auto prepared = prosody::nodeprep(configured);
    const std::string name = prepared.ok() ? prepared.value : configured;
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
}

std::vector<ServiceAccount> Settings::service_accounts_to_keep() const {
  std::vector<ServiceAccount> accounts;
  if (!service_accounts)
    return accounts;

  auto keep = [&](const std::string& user, const std::optional<std::string>& password,
                  const char* variable, const char* user_variable) {
    if (password && !password->empty()) {
      accounts.push_back({user, *password, variable, user_variable});
    }
  };
  keep(xmpp.jicofo_user, xmpp.jicofo_password, "JICOFO_AUTH_PASSWORD", "JICOFO_AUTH_USER");
  keep(xmpp.jvb_user, xmpp.jvb_password, "JVB_AUTH_PASSWORD", "JVB_AUTH_USER");
  keep(xmpp.jigasi_user, xmpp.jigasi_password, "JIGASI_XMPP_PASSWORD", "JIGASI_XMPP_USER");
  return accounts;
}

SettingsLoad load_settings(const Environment& environment) {
  SettingsLoad load;
  VariableReader read(environment, load.problems);

  read_xmpp(read, load.settings.xmpp);
  read_paths(read, load.settings, load.problems);
  read_reconcile(read, load.settings);
  read_daemon(read, load.settings);
  read_output(read, load.settings, load.problems);

  // Cross-checks compare values: on a value that did not parse they would only add
  // follow-on noise ("ENABLE_AUTH=maybe" is not "auth off").
  if (load.problems.empty())
    cross_check(load.settings, load.problems);
  return load;
}

}  // namespace meetgate::config
