// `conveyor kernels`: lists the kernel library with each matrix.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "command.hpp"
#include "conveyor/config/kernel_library.hpp"
#include "conveyor/util/suggest.hpp"
#include "conveyor/util/text_matrix.hpp"
#include "io/stdout_check.hpp"

namespace conveyor::app {
namespace {

using util::ExitCode;

struct KernelsOptions {
  std::vector<std::string> names;
  std::vector<std::string> kernel_files;
  bool names_only = false;
};

std::string format_params(const config::KernelParams& params) {
  std::string text;
  for (const auto& [key, value] : params.values) {
    text += (text.empty() ? "" : " ") + key + "=" + util::format_number(static_cast<float>(value));
  }
  return text;
}

void describe(const config::KernelLibrary& library, const std::string& name, std::ostream& out) {
  const config::KernelDefinition& definition = library.definition(name);
  const conv::Kernel kernel = library.get(name);
  out << name << ": "
      << (definition.description.empty() ? "(no description)" : definition.description) << "\n  "
      << kernel.width << "x" << kernel.height;
  if (!definition.alias.empty()) out << ", same as " << definition.alias;
  if (!definition.family.empty()) {
    // The matrix shown is the default; parameters pick another member.
    static const std::map<std::string, std::string> kExample{{"box", "size=7"},
                                                             {"gaussian", "size=5,sigma=1.5"},
                                                             {"sobel", "size=5"},
                                                             {"motion_blur", "size=15"}};
    out << ", generated: " << definition.family << " " << format_params(definition.defaults)
        << " (e.g. --kernel " << name << ":" << kExample.at(definition.family) << ")";
  }
  if (kernel.anchor_x || kernel.anchor_y) {
    out << ", anchor " << kernel.anchor_col() << "," << kernel.anchor_row();
  }
  out << "\n";
  std::ostringstream matrix;
  util::write_text_matrix(matrix, kernel.weights.data(), kernel.width, kernel.height,
                          static_cast<std::size_t>(kernel.width));
  std::istringstream lines(matrix.str());
  for (std::string line; std::getline(lines, line);) out << "    " << line << "\n";
}

ExitCode run_kernels(const KernelsOptions& options) {
  config::KernelLibrary library = config::KernelLibrary::load_default();
  for (const auto& file : options.kernel_files) library.load_file(file);
  std::vector<std::string> names = options.names.empty() ? library.names() : options.names;
  for (const auto& name : names) {
    if (!library.contains(name)) {
      throw util::ExitError(ExitCode::Usage, "unknown kernel '" + name + "'" +
                                                 util::did_you_mean(name, library.names()) +
                                                 "; expected a name from 'conveyor kernels'");
    }
  }
  if (options.names_only) {
    for (const auto& name : names) std::cout << name << "\n";
    io::check_stdout();
    return ExitCode::Ok;
  }
  std::ostringstream out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out << "\n";
    describe(library, names[i], out);
  }
  std::cout << out.str() << std::flush;
  io::check_stdout();
  return ExitCode::Ok;
}

}  // namespace

Command setup_kernels_command(CLI::App& root) {
  auto options = std::make_shared<KernelsOptions>();
  CLI::App* app = root.add_subcommand(
      "kernels", "Lists the kernel library: each name, its description and its matrix.");
  app->footer(
      "\nThe library is configs/kernels.yaml (or the file CONVEYOR_KERNELS names); its header\n"
      "documents the format for your own files. Generated kernels (box, gaussian, sobel_x ...)\n"
      "are shown with their default parameters.\n\n"
      "Exit codes: 0 success, 2 unknown name or invalid kernel file, 4 stdout cannot be "
      "written.");
  app->add_option("names", options->names, "Show only these kernels")->type_name("NAME");
  app->add_option("--kernels-file", options->kernel_files,
                  "Extra kernel library (YAML) added on top, repeatable")
      ->allow_extra_args(false)
      ->type_name("FILE");
  app->add_flag("--names", options->names_only, "Print the names only, one per line");
  return {app, [options] { return run_kernels(*options); }};
}

}  // namespace conveyor::app
