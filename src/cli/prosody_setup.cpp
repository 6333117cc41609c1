#include "cli/prosody_setup.hpp"

#include <system_error>

#include <fmt/format.h>

#include "cli/reporting.hpp"
#include "prosody/admin_socket.hpp"
#include "prosody/auto_backend.hpp"
#include "prosody/offline_backend.hpp"
#include "prosody/online_backend.hpp"
#include "prosody/server_config.hpp"
#include "render/prosody_config.hpp"
#include "render/unified_diff.hpp"
#include "util/file_io.hpp"
#include "util/os_error.hpp"

namespace meetgate::cli {
namespace {

// docker-jitsi-meet's rootless images (stable-11146-2 and later) keep accounts here.
constexpr const char* kDefaultDataPath = "/var/lib/prosody/data";

std::optional<std::string> existing_text(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error))
    return std::nullopt;
  return util::read_file(path);
}

}  // namespace

std::string sidecar_prosody_config(const config::Settings& settings) {
  render::ProsodyConfigInput input;
  input.data_path = settings.data_path.value_or(kDefaultDataPath).string();
  input.main_domain = settings.xmpp.domain;
  input.auth_domain = settings.xmpp.auth_domain;
  input.guest_domain = settings.xmpp.guest_domain;
  input.enable_auth = settings.xmpp.enable_auth;
  input.enable_guests = settings.xmpp.enable_guests;
  input.guest_auth_type = settings.xmpp.guest_auth_type;
  return render::render_prosody_config(input);
}

ProsodyRender render_prosody_target(const config::Settings& settings, bool dry_run) {
  const auto& path = settings.prosody_config;
  const auto before = existing_text(path);
  if (before && !render::is_generated_by_meetgate(*before)) {
    return {ProsodyRender::Result::kForeign, {}};
  }
  const std::string after = sidecar_prosody_config(settings);

  if (dry_run) {
    const auto diff = render::unified_diff(before.value_or(""), after, path.string());
    const auto result =
        diff.empty() ? ProsodyRender::Result::kUnchanged : ProsodyRender::Result::kWritten;
    return {result, diff};
  }
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) {
    throw std::system_error(
        error, "create " + path.parent_path().string() + ": " + util::os_reason(error));
  }
  const bool written = util::write_file_atomically(path, after, {});
  return {written ? ProsodyRender::Result::kWritten : ProsodyRender::Result::kUnchanged, {}};
}

std::optional<std::filesystem::path> resolve_data_path(const config::Settings& settings,
                                                       util::Problems& problems) {
  std::optional<std::string> text;
  try {
    text = existing_text(settings.prosody_config);
  } catch (const std::system_error& error) {
    problems.push_back({"MEETGATE_PROSODY_CONFIG", error.what()});
    return std::nullopt;
  }
  if (!text || render::is_generated_by_meetgate(*text)) {
    return settings.data_path.value_or(kDefaultDataPath);
  }

  // The server's own config: prosodyctl writes where it says, so meetgate must read there.
  const auto configured = prosody::read_data_path(*text);
  const std::string where = settings.prosody_config.string();
  if (configured && !std::filesystem::path(*configured).is_absolute()) {
    problems.push_back({where, fmt::format("data_path \"{}\" is relative: set "
                                           "MEETGATE_DATA_PATH to the absolute directory",
                                           *configured)});
  } else if (configured && settings.data_path && *settings.data_path != *configured) {
    problems.push_back({"MEETGATE_DATA_PATH",
                        fmt::format("is {} but {} stores accounts in {}: prosodyctl would write "
                                    "where meetgate does not look; unset one or make them equal",
                                    settings.data_path->string(), where, *configured)});
  } else if (configured) {
    return std::filesystem::path(*configured);
  } else if (settings.data_path) {
    return settings.data_path;
  } else {
    problems.push_back({where,
                        "sets no plain data_path = \"...\": set MEETGATE_DATA_PATH to "
                        "Prosody's data directory"});
  }
  return std::nullopt;
}

std::optional<config::Settings> load_account_settings(const config::Environment& environment) {
  auto settings = load_checked_settings(environment);
  if (!settings)
    return std::nullopt;
  if (!settings->users) {
    print_error("no users source: give --users PATH or set MEETGATE_USERS");
    return std::nullopt;
  }
  return settings;
}

std::unique_ptr<prosody::AccountBackend> make_backend(const config::Settings& settings) {
  prosody::ProsodyctlSettings offline{settings.prosodyctl, settings.prosody_config,
                                      settings.prosodyctl_timeout, settings.jobs};
  if (settings.backend == config::Backend::kOffline)
    return std::make_unique<prosody::OfflineBackend>(std::move(offline));

  // The shell needs the server's data directory (history file, default socket) and
  // whatever the config says about the socket and the prompt. The commands checked
  // the data path before; a config that cannot be read leaves the defaults.
  util::Problems problems;
  const auto data_path = resolve_data_path(settings, problems).value_or(kDefaultDataPath);
  std::optional<std::string> config_text;
  try {
    config_text = existing_text(settings.prosody_config);
  } catch (const std::system_error&) {
    // prosodyctl will say what is wrong with the file when it reads it.
  }
  const auto option = [&](std::string_view name) -> std::optional<std::string> {
    return config_text ? prosody::read_global_string(*config_text, name) : std::nullopt;
  };

  prosody::ShellSettings shell;
  shell.program = settings.prosodyctl;
  shell.config = settings.prosody_config;
  shell.data_path = data_path;
  shell.prompt = option("admin_shell_prompt").value_or("prosody> ");
  shell.timeout = settings.prosodyctl_timeout;
  if (settings.backend == config::Backend::kOnline)
    return std::make_unique<prosody::OnlineBackend>(std::move(shell));

  auto socket = prosody::admin_socket_path(option("admin_socket"), data_path);
  return std::make_unique<prosody::AutoBackend>(std::move(shell), std::move(offline),
                                                std::move(socket));
}

}  // namespace meetgate::cli
