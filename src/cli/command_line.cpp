#include "cli/command_line.hpp"

#include <CLI/CLI.hpp>

namespace meetgate::cli {
namespace {

constexpr const char* kFooter =
    "Every option also has an environment variable (shown in brackets); the option wins.\n"
    "Documentation: README.md and env.example.";

// An option whose value lands in `overrides[variable]` when given.
void variable_option(CLI::App& app, CommandLine& line, const std::string& flag,
                     const std::string& variable, const std::string& help) {
  app.add_option_function<std::string>(
         flag, [&line, variable](const std::string& value) { line.overrides[variable] = value; },
         help + " [" + variable + "]")
      ->type_name("VALUE");
}

void add_users(CLI::App& app, CommandLine& line) {
  variable_option(app, line, "--users", "MEETGATE_USERS",
                  "users source: a text or .json file, or a directory of files");
}

void add_prosody(CLI::App& app, CommandLine& line) {
  variable_option(app, line, "--prosody-config", "MEETGATE_PROSODY_CONFIG",
                  "the config prosodyctl is called with (absolute)");
  variable_option(app, line, "--data-path", "MEETGATE_DATA_PATH", "Prosody's data directory");
}

void add_sync(CLI::App& app, CommandLine& line) {
  add_users(app, line);
  add_prosody(app, line);
  app.add_flag("--dry-run", line.dry_run, "print the plan (no passwords), change nothing");
  app.add_flag("--force", line.force, "apply a plan the delete guard refused");
  variable_option(app, line, "--prune", "MEETGATE_PRUNE",
                  "what may be deleted: managed, all or none");
  variable_option(app, line, "--backend", "MEETGATE_BACKEND", "auto, online or offline");
  variable_option(app, line, "--jobs", "MEETGATE_JOBS", "prosodyctl calls at once");
}

void add_render(CLI::App& app, CommandLine& line) {
  variable_option(app, line, "--only", "MEETGATE_RENDER",
                  "comma list of render targets: prosody,web,jicofo,jigasi");
  variable_option(app, line, "--layout", "MEETGATE_LAYOUT", "docker-jitsi-meet or debian");
  add_prosody(app, line);
  app.add_flag("--dry-run", line.dry_run, "print a unified diff, write nothing");
}

}  // namespace

std::variant<CommandLine, int> parse_command_line(int argc, char** argv) {
  CommandLine line;
  CLI::App app{
      "meetgate: makes a Jitsi Meet deployment a Secure Domain and keeps Prosody's "
      "accounts in step with a users file"};
  app.footer(kFooter);
  app.require_subcommand(1);

  auto* check = app.add_subcommand("check", "validate the environment and the users source");
  add_users(*check, line);
  auto* sync = app.add_subcommand("sync", "make Prosody's accounts match the users source once");
  add_sync(*sync, line);
  auto* render = app.add_subcommand("render", "write the Secure Domain config");
  add_render(*render, line);
  app.add_subcommand("version", "print version and build information");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }
  line.command = app.get_subcommands().front()->get_name();
  return line;
}

}  // namespace meetgate::cli
