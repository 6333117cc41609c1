#include "cli/command_line.hpp"

#include "build_info.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include <fmt/format.h>
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

// No --dry-run or --force: a daemon that plans forever or overrides the delete guard
// on every change would hide the very mistakes the guard is there to stop.
void add_watch(CLI::App& app, CommandLine& line) {
  add_users(app, line);
  add_prosody(app, line);
  variable_option(app, line, "--prune", "MEETGATE_PRUNE",
                  "what may be deleted: managed, all or none");
  variable_option(app, line, "--backend", "MEETGATE_BACKEND", "auto, online or offline");
  variable_option(app, line, "--jobs", "MEETGATE_JOBS", "prosodyctl calls at once");
  variable_option(app, line, "--http-addr,--http", "MEETGATE_HTTP_ADDR",
                  "serve /livez, /readyz, /healthz and /metrics on HOST:PORT");
  variable_option(app, line, "--watch", "MEETGATE_WATCH", "inotify or poll");
}

// Where and how files are rendered; `render` and `run` share them.
void add_render_files(CLI::App& app, CommandLine& line) {
  variable_option(app, line, "--layout", "MEETGATE_LAYOUT", "docker-jitsi-meet or debian");
  add_prosody(app, line);
  variable_option(app, line, "--root", "MEETGATE_RENDER_ROOT",
                  "work on a copy of /: every file is looked for under DIR");
  app.add_flag_callback(
      "--backup", [&line] { line.overrides["MEETGATE_RENDER_BACKUP"] = "1"; },
      "keep the previous file as FILE.meetgate-bak [MEETGATE_RENDER_BACKUP]");
}

void add_render(CLI::App& app, CommandLine& line) {
  variable_option(app, line, "--only", "MEETGATE_RENDER",
                  "comma list of render targets: prosody,web,jicofo,jigasi");
  add_render_files(app, line);
  app.add_flag("--dry-run", line.dry_run, "print a unified diff, write nothing");
}

void add_run(CLI::App& app, CommandLine& line) {
  app.add_flag_callback(
      "--exec", [&line] { line.overrides["MEETGATE_EXEC"] = "1"; },
      "replace meetgate with CMD instead of supervising it [MEETGATE_EXEC]");
  variable_option(app, line, "--only", "MEETGATE_RENDER",
                  "comma list of render targets to render first (default none)");
  add_render_files(app, line);
  add_users(app, line);
  // CMD may also follow without "--"; everything from its name on is CMD's.
  app.prefix_command();
}

// Everything after the first "--" is CMD's, never parsed as our options. Returns those
// words and shortens argc so the parser sees only what comes before.
std::vector<std::string> split_off_program(int& argc, char** argv) {
  std::vector<std::string> program;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--") {
      program.assign(argv + i + 1, argv + argc);
      argc = i;
      break;
    }
  }
  return program;
}

// CMD: the words after "--", or from the first word the run parser did not take. A
// "--" after CMD's name is one of CMD's own arguments.
std::optional<std::vector<std::string>> program_of(CLI::App& run,
                                                   std::vector<std::string> after_dashes,
                                                   bool dashes_seen) {
  auto program = run.remaining();
  if (!program.empty() && dashes_seen)
    program.emplace_back("--");
  program.insert(program.end(), after_dashes.begin(), after_dashes.end());
  if (program.empty())
    return std::nullopt;
  return program;
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
  auto* watch = app.add_subcommand(
      "watch", "keep Prosody's accounts in step with the users source until stopped");
  add_watch(*watch, line);
  auto* render = app.add_subcommand("render", "write the Secure Domain config");
  add_render(*render, line);
  auto* run = app.add_subcommand("run", "render, then start CMD as the container's PID 1");
  add_run(*run, line);
  app.add_subcommand("version", "print version and build information");
  app.set_version_flag("--version", std::string("meetgate ") + kVersion);

  // CLI11 answers an unknown command with "A subcommand is required": name it instead.
  const auto known = [&app](const char* name) {
    const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
    return std::any_of(commands.begin(), commands.end(),
                       [name](const CLI::App* command) { return command->get_name() == name; });
  };
  if (argc > 1 && argv[1][0] != '-' && !known(argv[1])) {
    fmt::print(stderr,
               "meetgate: error: unknown command \"{}\": use check, sync, watch, render, "
               "run or version (meetgate --help)\n",
               argv[1]);
    return 2;
  }

  const int all_args = argc;
  auto after_dashes = split_off_program(argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }
  line.command = app.get_subcommands().front()->get_name();

  const bool dashes_seen = argc < all_args;
  if (line.command != "run" && dashes_seen) {
    fmt::print(stderr, "meetgate: error: only run takes a command after \"--\"\n");
    return 2;
  }
  if (line.command == "run") {
    auto program = program_of(*run, std::move(after_dashes), dashes_seen);
    if (!program) {
      fmt::print(stderr, "meetgate: error: run: no command given: meetgate run -- CMD [ARGS...]\n");
      return 2;
    }
    line.program = std::move(*program);
  }
  return line;
}

}  // namespace meetgate::cli
