// How subcommands plug into the `conveyor` tool.
//
// To add a subcommand (`run`, `validate`, `report` ...):
//   1. write src/app/cli_<name>.cpp with a function
//        Command setup_<name>_command(CLI::App& root);
//      that adds the subcommand and its options to `root` and returns it with
//      the function that runs it once the command line has been parsed;
//   2. declare it below and add it to the list in commands.cpp.
// The run function returns an exit code or throws util::ExitError (or
// conv::ConfigError, which means exit code 2); main() prints the message.
#pragma once

#include <functional>
#include <vector>

#include "conveyor/util/exit_codes.hpp"

namespace CLI {
class App;
}

namespace conveyor::app {

using CommandRun = std::function<util::ExitCode()>;

struct Command {
  CLI::App* app = nullptr;  // the subcommand, owned by the root app
  CommandRun run;
};
using CommandSetup = Command (*)(CLI::App& root);

// Every subcommand, in the order `conveyor --help` lists them.
const std::vector<CommandSetup>& command_setups();

Command setup_apply_command(CLI::App& root);
Command setup_kernels_command(CLI::App& root);
Command setup_nodes_command(CLI::App& root);
Command setup_report_command(CLI::App& root);
Command setup_run_command(CLI::App& root);
Command setup_validate_command(CLI::App& root);

// The whole tool: parses, runs the chosen subcommand, maps errors to exit codes.
int run_cli(int argc, const char* const* argv);

}  // namespace conveyor::app
