// Parsing, dispatch and the mapping of every failure to an exit code.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli_numbers.hpp"
#include "command.hpp"
#include "conveyor/config/errors.hpp"
#include "conveyor/conv/errors.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/util/suggest.hpp"
#include "io/stdout_check.hpp"

namespace conveyor::app {
namespace {

constexpr const char* kDescription =
    "Conveyor applies banks of 2-D convolution kernels (feature detectors) to images\n"
    "and video, producing one feature map per kernel.";

// Every error is printed once, each of its lines after one "conveyor: error: "
// prefix (a pipeline error lists one problem per line, each "file:line:col:
// message"); `hint` follows unprefixed.
int report(util::ExitCode code, const std::string& message, const std::string& hint = {}) {
  std::string text;
  std::size_t begin = 0;
  while (begin <= message.size()) {
    std::size_t end = message.find('\n', begin);
    if (end == std::string::npos) end = message.size();
    if (end > begin || message.empty()) {
      text += "conveyor: error: " + message.substr(begin, end - begin) + "\n";
    }
    begin = end + 1;
  }
  if (!hint.empty()) text += hint + "\n";
  std::cerr << text << std::flush;
  return util::exit_status(code);
}

// CLI11 says "The following arguments were not expected: aply"; for a
// mistyped command name say which command was meant.
std::string explain_parse_error(const CLI::App& root, const CLI::ParseError& error, int argc,
                                const char* const* argv) {
  std::vector<std::string> names;
  for (const CLI::App* sub : root.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  std::string expected;
  for (const auto& name : names) expected += (expected.empty() ? "" : ", ") + name;
  const bool chosen = !root.get_subcommands().empty();
  if (!chosen && argc > 1) {
    for (int i = 1; i < argc; ++i) {
      const std::string word = argv[i];
      if (word.empty() || word.front() == '-') continue;
      return "unknown command '" + word + "'" + util::did_you_mean(word, names) +
             "; expected one of " + expected;
    }
  }
  if (!chosen) return "no command given; expected one of " + expected;
  return std::string(error.what());
}

}  // namespace

int run_cli(int argc, const char* const* argv) {
  // OpenCV reads OpenEXR images only with this set before the codec's first
  // use (the documented .exr images sink needs it). Set here, before any
  // thread exists; a value the user set (0 to keep it off) is kept.
  ::setenv("OPENCV_IO_ENABLE_OPENEXR", "1", 0);
  CLI::App root(kDescription, "conveyor");
  root.footer(std::string("\nRun 'conveyor <command> --help' for a command's options.\n\n") +
              util::exit_codes_help());
  root.require_subcommand(1);
  root.fallthrough();  // global options such as --log-level also work after the command
  root.get_formatter()->column_width(32);
  std::string log_level = "warn";
  root.add_option("--log-level", log_level,
                  "Diagnostics on stderr: trace, debug, info, warn, error, off")
      ->capture_default_str()
      ->type_name("LEVEL")
      ->check(one_of({"trace", "debug", "info", "warn", "error", "off"}, "log level"));

  std::vector<Command> commands;
  for (const CommandSetup setup : command_setups()) commands.push_back(setup(root));

  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return root.exit(error);  // --help: print it, exit 0
    const CLI::App* chosen =
        root.get_subcommands().empty() ? &root : root.get_subcommands().front();
    const std::string command =
        chosen == &root ? std::string("conveyor") : "conveyor " + chosen->get_name();
    return report(util::ExitCode::Usage, explain_parse_error(root, error, argc, argv),
                  "Run '" + command + " --help' for usage.");
  }
  // Diagnostics go to stderr: stdout carries results (--print, report summaries).
  spdlog::set_default_logger(spdlog::stderr_color_mt("conveyor"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  try {
    for (const Command& command : commands) {
      if (!command.app->parsed()) continue;
      const util::ExitCode code = command.run();
      io::check_stdout();  // data printed on stdout must have arrived
      return util::exit_status(code);
    }
    return report(util::ExitCode::Usage, "no command given");
  } catch (const util::ExitError& error) {
    return report(error.code(), error.what());
  } catch (const config::ConfigError& error) {
    return report(util::ExitCode::Usage, error.what());
  } catch (const conv::ConfigError& error) {
    return report(util::ExitCode::Usage, error.what());
  } catch (const pipeline::OutputError& error) {
    return report(util::ExitCode::Output, error.what());
  } catch (const pipeline::InputError& error) {
    return report(util::ExitCode::Input, error.what());
  } catch (const std::exception& error) {
    return report(util::ExitCode::Failure, std::string("internal error: ") + error.what());
  }
}

}  // namespace conveyor::app
