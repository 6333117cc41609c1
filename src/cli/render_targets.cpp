// Planning and writing the render targets (see render_targets.hpp): every file is
// read and patched first; only when all of them worked is anything written.
#include "cli/render_targets.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "cli/prosody_setup.hpp"
#include "log/logger.hpp"
#include "render/jicofo_config.hpp"
#include "render/jigasi_properties.hpp"
#include "render/marked_block.hpp"
#include "render/patch_result.hpp"
#include "render/prosody_config.hpp"
#include "render/prosody_host_patch.hpp"
#include "render/unified_diff.hpp"
#include "render/web_config.hpp"
#include "util/file_io.hpp"
#include "util/os_error.hpp"

namespace meetgate::cli {
namespace {

namespace fs = std::filesystem;

bool debian(const config::Settings& settings) {
  return settings.layout == "debian";
}

// Where a target's file is: MEETGATE_<TARGET>_FILE, else the layout's place for it;
// under --root either way, so a copy of / can be patched and compared.
fs::path target_path(const config::Settings& settings, const std::string& target) {
  fs::path path;
  if (const auto it = settings.render_files.find(target); it != settings.render_files.end()) {
    path = it->second;
  } else if (debian(settings)) {
    const auto& domain = settings.xmpp.domain;
    path = target == "prosody"  ? fs::path("/etc/prosody/conf.avail") / (domain + ".cfg.lua")
           : target == "web"    ? fs::path("/etc/jitsi/meet") / (domain + "-config.js")
           : target == "jicofo" ? fs::path("/etc/jitsi/jicofo/jicofo.conf")
                                : fs::path("/etc/jitsi/jigasi/sip-communicator.properties");
  } else {
    path = target == "prosody"  ? settings.prosody_config
           : target == "web"    ? fs::path("/config/custom-config.js")
           : target == "jicofo" ? fs::path("/config/custom-jicofo.conf")
                                : fs::path("/config/custom-sip-communicator.properties");
  }
  if (settings.render_root == "/")
    return path;
  return settings.render_root / path.relative_path();
}

// The Debian package whose file a target patches, for "not found" messages.
const char* debian_package(const std::string& target) {
  return target == "prosody"  ? "jitsi-meet-prosody"
         : target == "web"    ? "jitsi-meet-web-config"
         : target == "jicofo" ? "jicofo"
                              : "jigasi";
}

std::optional<std::string> read_if_there(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error))
    return std::nullopt;
  return util::read_file(path);
}

// One target's new content from its old one, or why not.
render::PatchResult produce(const config::Settings& settings, const std::string& target,
                            const std::optional<std::string>& before) {
  if (debian(settings)) {
    if (!before) {
      return {"", fmt::format("not found: is {} installed? Otherwise set MEETGATE_{}_FILE",
                              debian_package(target),
                              target == "prosody"  ? "PROSODY"
                              : target == "web"    ? "WEB"
                              : target == "jicofo" ? "JICOFO"
                                                   : "JIGASI")};
    }
    if (target == "prosody")
      return render::patch_prosody_host(*before, settings.xmpp);
    if (target == "web")
      return render::patch_web_config(*before, settings.xmpp);
    if (target == "jicofo")
      return render::patch_jicofo_config(*before, settings.xmpp);
    return render::patch_jigasi_properties(*before, settings.xmpp,
                                           settings.jigasi_trust_all_certificates);
  }
  // docker-jitsi-meet: the sidecar's own config, or meetgate's block in the file the
  // image appends to (or includes after) its own.
  const auto existing = before.value_or("");
  if (target == "prosody")
    return {sidecar_prosody_config(settings), ""};
  if (target == "web")
    return render::replace_marked_block(existing, render::web_block(settings.xmpp), "//");
  if (target == "jicofo")
    return render::replace_marked_block(existing, render::jicofo_block(settings.xmpp), "#");
  return render::replace_marked_block(
      existing, render::jigasi_block(settings.xmpp, settings.jigasi_trust_all_certificates), "#");
}

// Files holding a secret are never readable by others, nor shown in a diff.
bool holds_secret(const std::string& target) {
  return target == "jigasi";
}

// The text with the values of password keys (`...PASS=`) replaced, for diffs.
std::string hide_secrets(std::string_view text) {
  std::string shown;
  size_t start = 0;
  while (start < text.size()) {
    const size_t newline = text.find('\n', start);
    const size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    const auto line = text.substr(start, end - start);
    const size_t key_end = line.find(".PASS=");
    if (key_end != std::string_view::npos && line.find('#') != 0) {
      shown += line.substr(0, key_end + 6);
      shown += "<hidden>";
      shown += line.back() == '\n' ? "\n" : "";
    } else {
      shown += line;
    }
    start = end;
  }
  return shown;
}

// What --dry-run prints for one file: a unified diff, secrets hidden (a change of a
// hidden value alone is said in a line of its own).
std::string dry_run_diff(const std::string& target, const fs::path& path,
                         const std::optional<std::string>& before, const std::string& after) {
  if (!holds_secret(target))
    return render::unified_diff(before.value_or(""), after, path.string());
  auto diff =
      render::unified_diff(hide_secrets(before.value_or("")), hide_secrets(after), path.string());
  if (diff.empty() && before != after)
    return fmt::format("{}: a hidden value changes\n", path.string());
  return diff;
}

struct RenderFile {
  std::string target;
  fs::path path;
  std::optional<std::string> before;
  std::string after;
};

void log_skipped_foreign(const fs::path& path) {
  log::warn("render_skipped", {{"target", "prosody"},
                               {"path", path.string()},
                               {"reason", "not written by meetgate: left as it is"}});
}

// Every target's file read and patched, or every problem found; nothing written.
std::vector<RenderFile> plan_files(const config::Settings& settings,
                                   const std::vector<std::string>& targets,
                                   util::Problems& problems) {
  std::vector<RenderFile> files;
  for (const auto& target : targets) {
    const auto path = target_path(settings, target);
    std::optional<std::string> before;
    try {
      before = read_if_there(path);
    } catch (const std::system_error& error) {
      problems.push_back({path.string(), error.what()});
      continue;
    }
    // The sidecar's config is meetgate's own; the server's file, if there, is not.
    if (!debian(settings) && target == "prosody" && before &&
        !render::is_generated_by_meetgate(*before)) {
      log_skipped_foreign(path);
      continue;
    }
    auto result = produce(settings, target, before);
    if (!result.ok()) {
      problems.push_back({path.string(), result.error + "; the file was left as it is"});
      continue;
    }
    files.push_back({target, path, std::move(before), std::move(result.text)});
  }
  return files;
}

// The write options for a target's file: jigasi's holds a password, so it is never
// more than 0640, whatever it was; the others keep their mode and owner.
util::WriteOptions write_options(const RenderFile& file) {
  util::WriteOptions options;
  if (!holds_secret(file.target))
    return options;
  options.mode = 0640;
  options.keep_existing_mode = false;
  struct stat info {};
  if (file.before && ::stat(file.path.c_str(), &info) == 0) {
    options.mode = info.st_mode & 0640;
    options.owner = info.st_uid;
    options.group = info.st_gid;
  }
  return options;
}

// Every changed file staged (written and fsynced beside its target) before the first
// rename: a write that fails leaves every file as it was.
void write_files(const config::Settings& settings, const std::vector<RenderFile>& files) {
  std::vector<util::StagedWrite> staged;
  for (const auto& file : files) {
    if (file.before == file.after)
      continue;
    std::error_code error;
    fs::create_directories(file.path.parent_path(), error);
    if (error) {
      throw std::system_error(
          error, "create " + file.path.parent_path().string() + ": " + util::os_reason(error));
    }
    if (settings.render_backup && file.before) {
      util::WriteOptions backup;
      backup.mode = 0600;  // the old file may hold a secret too
      backup.keep_existing_mode = false;
      staged.emplace_back(file.path.string() + ".meetgate-bak", *file.before, backup);
    }
    staged.emplace_back(file.path, file.after, write_options(file));
  }
  for (auto& write : staged)
    write.commit();
}

}  // namespace

util::Problems check_render_settings(const config::Settings& settings,
                                     const std::vector<std::string>& targets) {
  util::Problems problems;
  const bool jigasi = std::find(targets.begin(), targets.end(), "jigasi") != targets.end();
  if (jigasi) {
    if (const auto problem = render::jigasi_settings_problem(settings.xmpp); !problem.empty())
      problems.push_back({"JIGASI_XMPP_PASSWORD", problem});
    if (settings.jigasi_trust_all_certificates) {
      log::warn("jigasi_trusts_all_certificates",
                {{"variable", "MEETGATE_JIGASI_TRUST_ALL_CERTIFICATES"},
                 {"reason", "jigasi will accept any server certificate: for debugging only"}});
    }
  }
  return problems;
}

util::Problems render_targets(const config::Settings& settings,
                              const std::vector<std::string>& targets, bool dry_run) {
  util::Problems problems;
  const auto files = plan_files(settings, targets, problems);
  if (!problems.empty())
    return problems;

  if (dry_run) {
    for (const auto& file : files) {
      if (file.before != file.after)
        fmt::print("{}", dry_run_diff(file.target, file.path, file.before, file.after));
    }
    return problems;
  }
  write_files(settings, files);
  for (const auto& file : files) {
    log::info(file.before != file.after ? "render_written" : "render_unchanged",
              {{"target", file.target}, {"path", file.path.string()}});
  }
  return problems;
}

}  // namespace meetgate::cli
