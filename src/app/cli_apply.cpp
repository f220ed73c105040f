// `conveyor apply`: one picture in, one feature map per kernel out.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string_view>

#include "apply_filters.hpp"
#include "apply_pipeline.hpp"
#include "cli_numbers.hpp"
#include "command.hpp"
#include "conveyor/config/kernel_library.hpp"
#include "conveyor/pipeline/thread_budget.hpp"
#include "conveyor/util/suggest.hpp"
#include "conveyor/util/text_matrix.hpp"
#include "path_guard.hpp"

namespace conveyor::app {
namespace {

using util::ExitCode;
using util::ExitError;

constexpr const char* kDescription =
    "Apply kernels (feature detectors) to one image or text matrix; write or print the "
    "feature maps.";

constexpr const char* kFooter = R"(
Each kernel slides over INPUT and gives one feature map; --combine merges the maps into one.

INPUT   An image OpenCV reads: 8-bit or 32-bit float, gray or colour (alpha is dropped,
        16-bit and other depths become float, values kept); colour maps are computed per
        channel. Or a text matrix (.txt/.csv: numbers separated by spaces or commas, one
        row per line, '#' comments), read as a 1-channel float image.
KERNEL  A library name (see 'conveyor kernels'), with parameters for the generated ones:
          sobel_x   gaussian:size=5,sigma=1.2   box:size=7   sobel_y:size=5
        An inline matrix, quoted for the shell:  '[[0,1,0],[1,-4,1],[0,1,0]]'
        A text-matrix file:  my_kernel.txt
        Kernels are applied as correlation (like OpenCV's filter2D); --flip rotates them
        by 180 degrees for a true convolution. Even-sized kernels need --anchor unless
        --border valid.
OUTPUT  .tif/.tiff  32-bit float, exact values (3 channels for a colour input)
        .png/.jpg/.jpeg/.bmp  8-bit, each map converted by --to-u8 (default minmax)
        .txt/.csv   text matrix, one row per line (colour: one file per channel _b/_g/_r)
        Several kernels without --combine give one file per map: OUTPUT_<name>.<ext>.
        --print writes every map to stdout as a text matrix; with several maps each one
        is preceded by a line '# <name> <width>x<height>'.
        An output that is the input, a kernel file or another output (compared as
        files: ./, .., symlinks and hard links resolved) is refused (exit 2).
SIZE    Default border reflect: the map has the input's size (divided by the stride).
        --border valid visits only positions where the kernel lies fully inside the
        image: (size - kernel) / stride + 1, the classic lesson's convention.

Examples:
  The lesson: a 7x7 picture, a 3x3 feature detector, stride 1 -> a 5x5 feature map
    conveyor apply --border valid --print --kernel '[[0,0,1],[1,0,0],[0,1,1]]' smiley.txt
  Edges of a photo:
    conveyor apply -k sobel_x -k sobel_y --combine magnitude photo.jpg -o edges.png
  Two exact float maps (out_sobel_x.tif, out_sobel_y.tif):
    conveyor apply -k sobel_x -k sobel_y photo.png -o out.tif

Exit codes: 0 success, 2 usage or configuration error, 3 input cannot be read,
            4 output cannot be written.)";

// Every file apply reads: the input, kernel files and the kernel library.
std::vector<NamedPath> apply_reads(const ApplyOptions& options) {
  std::vector<NamedPath> reads{{"the input", options.input}};
  std::error_code error;
  for (const auto& kernel : options.kernels) {
    if (std::filesystem::is_regular_file(kernel, error)) reads.push_back({"kernel file", kernel});
  }
  for (const auto& file : options.kernel_files) reads.push_back({"--kernels-file", file});
  try {
    const char* env = std::getenv("CONVEYOR_KERNELS");
    const bool from_env = env != nullptr && *env != '\0';
    reads.push_back({from_env ? "CONVEYOR_KERNELS" : "the kernel library",
                     config::KernelLibrary::default_path().string()});
  } catch (const std::exception&) {
    // No library: nothing to protect (it is reported where a name needs it).
  }
  return reads;
}

// --combine and --weights; none for stack (every map kept).
std::optional<conv::Combine> read_combine(const ApplyOptions& options) {
  std::optional<conv::Combine> combine;
  if (!options.combine.empty()) {
    const auto op = conv::parse_combine(options.combine);
    if (!op) {
      throw ExitError(ExitCode::Usage,
                      "unknown --combine '" + options.combine + "'" +
                          util::did_you_mean(options.combine, conv::combine_names()) +
                          "; expected magnitude, sum_abs, max, max_abs, weighted_sum or stack");
    }
    if (*op != conv::CombineOp::Stack) combine = conv::Combine{*op, {}};
  }
  if (!options.weights.empty()) {
    if (!combine || combine->op != conv::CombineOp::WeightedSum) {
      throw ExitError(ExitCode::Usage, "--weights '" + options.weights +
                                           "' given without --combine weighted_sum; expected "
                                           "them only with weighted_sum");
    }
    std::string_view rest = options.weights;
    while (true) {
      const std::size_t comma = rest.find(',');
      std::string problem;
      const auto weight = util::parse_finite_float(rest.substr(0, comma), &problem);
      if (!weight) throw ExitError(ExitCode::Usage, "--weights: " + problem);
      combine->weights.push_back(*weight);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (combine && combine->op == conv::CombineOp::WeightedSum &&
      combine->weights.size() != options.kernels.size()) {
    throw ExitError(ExitCode::Usage,
                    "--combine weighted_sum has " + std::to_string(combine->weights.size()) +
                        " weight(s) for " + std::to_string(options.kernels.size()) +
                        " kernel(s); expected --weights with one weight per kernel");
  }
  return combine;
}

ExitCode run_apply(const ApplyOptions& options) {
  if (!options.print && options.output.empty()) {
    throw ExitError(ExitCode::Usage, "no output given; expected -o OUTPUT, --print or both");
  }
  std::optional<conv::Combine> combine = read_combine(options);
  const auto to_u8 = conv::parse_to_u8(options.to_u8);
  if (!to_u8) {
    throw ExitError(ExitCode::Usage,
                    "unknown --to-u8 '" + options.to_u8 + "'; expected abs_scale, clamp or minmax");
  }

  ApplyPlan plan;
  plan.filters = build_filters(options);
  plan.input = options.input;
  plan.combine = std::move(combine);
  plan.threads = options.threads > 0 ? pipeline::usable_threads(options.threads) : 0;
  plan.output = options.output;
  plan.to_u8 = *to_u8;
  plan.print = options.print;
  plan.reads = apply_reads(options);
  return run_apply_pipeline(std::move(plan));
}

}  // namespace

Command setup_apply_command(CLI::App& root) {
  auto options = std::make_shared<ApplyOptions>();
  CLI::App* app = root.add_subcommand("apply", kDescription);
  app->footer(kFooter);
  // One value per --kernel and no bracket splitting: an inline matrix such as
  // [[0,1],[1,0]] must reach us whole, and INPUT must not be swallowed.
  app->add_option("-k,--kernel", options->kernels,
                  "Feature detector: library name, inline matrix or text-matrix file (repeatable)")
      ->required()
      ->allow_extra_args(false)
      ->type_name("K");
  app->add_option("--stride", options->stride,
                  "Step between kernel positions: S or SX,SY (1 to 64)")
      ->capture_default_str()
      ->type_name("S");
  app->add_option(
         "--border", options->border,
         "Beyond the edges: valid (no padding, smaller map), zero, replicate, reflect, wrap")
      ->capture_default_str()
      ->type_name("MODE");
  app->add_option("--anchor", options->anchor,
                  "Kernel cell on the output pixel for every kernel, X,Y from 0 (default: centre)")
      ->type_name("X,Y");
  app->add_flag("--flip", options->flip, "Rotate kernels 180 degrees (true convolution)");
  app->add_option(
         "--combine", options->combine,
         "Merge the maps: magnitude, sum_abs, max, max_abs, weighted_sum, stack (keep all)")
      ->type_name("OP");
  app->add_option("--weights", options->weights, "weighted_sum weights, one per kernel: w1,w2,...")
      ->type_name("W,...");
  app->add_option("--threads", options->threads,
                  "Worker threads, 1 to 1024 (0: every hardware thread)")
      ->capture_default_str()
      ->type_name("N")
      ->check(thread_count("every hardware thread"));
  app->add_flag("--print", options->print, "Print the feature maps on stdout as text matrices");
  app->add_option("--kernels-file", options->kernel_files,
                  "Extra kernel library (YAML, see configs/kernels.yaml), repeatable")
      ->allow_extra_args(false)
      ->type_name("FILE");
  app->add_option("--to-u8", options->to_u8,
                  "8-bit outputs: minmax (stretch), abs_scale (|v|, saturated), clamp")
      ->capture_default_str()
      ->type_name("MODE");
  app->add_option("INPUT", options->input, "Input image or text matrix (.txt/.csv)")
      ->required()
      ->type_name("");
  app->add_option(
         "-o,--output", options->output,
         "Output file: .tif/.tiff, .png/.jpg/.jpeg/.bmp, .txt/.csv (optional with --print)")
      ->type_name("OUTPUT");
  return {app, [options] { return run_apply(*options); }};
}

}  // namespace conveyor::app
