// meetgate's entry point: parses the command line and hands over to the command.
#include <cstdio>
#include <exception>
#include <variant>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"

namespace {

int run(int argc, char** argv) {
  using namespace meetgate;

  auto parsed = cli::parse_command_line(argc, argv);
  if (auto* code = std::get_if<int>(&parsed))
    return *code;
  const auto& line = std::get<cli::CommandLine>(parsed);

  auto environment = config::Environment::from_process();
  for (const auto& [name, value] : line.overrides)
    environment.set_override(name, value);

  if (line.command == "check")
    return cli::run_check(line, environment);
  if (line.command == "sync")
    return cli::run_sync(line, environment);
  if (line.command == "watch")
    return cli::run_watch(line, environment);
  if (line.command == "render")
    return cli::run_render(line, environment);
  if (line.command == "run")
    return cli::run_entrypoint(line, environment);
  return cli::run_version();
}

}  // namespace

int main(int argc, char** argv) {
  // What no command caught (out of memory, say) still ends as meetgate's own failure,
  // exit 1 with the usual message, not std::terminate's abort and core dump. stdio, not
  // fmt: nothing here may throw again.
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "meetgate: error: %s\n", error.what());
  } catch (...) {
    std::fputs("meetgate: error: unexpected exception\n", stderr);
  }
  return meetgate::cli::kExitFailed;
}
