// Where meetgate finds Prosody: the prosodyctl config (rendered by meetgate when it is
// missing or meetgate's own, used untouched otherwise) and the data directory.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "config/environment.hpp"
#include "config/settings.hpp"
#include "prosody/account_backend.hpp"
#include "util/problem.hpp"

namespace meetgate::cli {

// Outcome of rendering the `prosody` target.
struct ProsodyRender {
  enum class Result { kWritten, kUnchanged, kForeign } result = Result::kUnchanged;
  std::string diff;  // for --dry-run
};

// The sidecar's prosodyctl config as meetgate writes it (starts with the marker).
std::string sidecar_prosody_config(const config::Settings& settings);

// Renders the prosodyctl config at settings.prosody_config unless a file that meetgate
// did not write is there (the server's own: never touched). With dry_run nothing is
// written and `diff` says what would change. Throws std::system_error on I/O failure.
ProsodyRender render_prosody_target(const config::Settings& settings, bool dry_run);

// The data directory: MEETGATE_DATA_PATH, else `data_path` of a foreign config, else
// docker-jitsi-meet's rootless default. Adds a problem when it cannot be known.
std::optional<std::filesystem::path> resolve_data_path(const config::Settings& settings,
                                                       util::Problems& problems);

// Settings for the commands that change accounts (sync, watch): checked, with a users
// source and a backend this version has. Prints why not and returns nullopt otherwise.
std::optional<config::Settings> load_account_settings(const config::Environment& environment);

// The backend that applies account changes, as MEETGATE_BACKEND says: offline
// (prosodyctl register/unregister), online (one prosodyctl shell session per batch) or
// auto (online while the server's admin socket answers, else offline).
std::unique_ptr<prosody::AccountBackend> make_backend(const config::Settings& settings);

}  // namespace meetgate::cli
