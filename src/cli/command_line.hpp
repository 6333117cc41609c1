// The command line: a command, its flags, and options that stand in for MEETGATE_*
// variables (an option wins over its variable).
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace meetgate::cli {

struct CommandLine {
  std::string command;                           // check, sync, watch, render, run, version
  std::map<std::string, std::string> overrides;  // variable name -> value from an option
  bool dry_run = false;
  bool force = false;
  std::vector<std::string> program;  // run: CMD and its arguments
};

// The parsed command line, or the exit code when parsing already finished the job
// (--help printed: 0; a usage error printed: 2).
std::variant<CommandLine, int> parse_command_line(int argc, char** argv);

}  // namespace meetgate::cli
