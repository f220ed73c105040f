// `conveyor validate PIPELINE`: checks a pipeline file and prints the plan.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "cli_numbers.hpp"
#include "command.hpp"
#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/output_probe.hpp"
#include "conveyor/pipeline/source.hpp"
#include "conveyor/pipeline/thread_budget.hpp"
#include "io/stdout_check.hpp"

namespace conveyor::app {
namespace {

struct ValidateArgs {
  std::string pipeline;
  std::vector<std::string> overrides;
  int threads = 0;
};

// The first frame's size: known from the spec, or read from the source.
std::optional<conv::MapSize> probe_size(const config::PipelineSpec& spec, std::string& note) {
  if (auto known = spec.source.known_size()) return known;
  if (spec.source.params && spec.source.params->probing_consumes_input()) {
    note = "the input is a pipe or a device, read by the run only";
    return std::nullopt;
  }
  try {
    auto source = pipeline::make_source(spec.source);
    source->open();
    cv::Mat frame;
    std::int64_t index = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
      if (source->read(frame, index) == pipeline::ReadStatus::Frame) {
        return conv::MapSize{frame.cols, frame.rows};
      }
    }
    note = "the source gave no frame";
  } catch (const pipeline::InvalidInputError&) {
    throw;  // never works: not a size to find out at run time
  } catch (const std::exception& error) {
    note = error.what();
  }
  return std::nullopt;
}

void print_plan(const config::PipelineSpec& spec, int threads,
                const std::optional<conv::MapSize>& size, const std::string& note) {
  std::printf("pipeline '%s' is valid\n", spec.name.c_str());
  if (!size) {
    std::printf("input size: unknown until run time (%s)\n", note.c_str());
    return;
  }
  std::printf("input: %dx%d (%s)\n", size->width, size->height,
              config::to_string(spec.source.color).c_str());
  const auto geometry = config::check_geometry(spec, size->width, size->height);
  config::RuntimeSpec runtime = spec.runtime;
  runtime.threads = threads;
  double total = 0;
  for (std::size_t i = 0; i < spec.stages.size(); ++i) {
    const auto& stage = spec.stages[i];
    const config::StageDescription about = stage.params->describe_plan(geometry[i], runtime);
    std::printf("stage %zu '%s': %s\n", i + 1, stage.name.c_str(), about.summary.c_str());
    for (const auto& line : about.lines) std::printf("  %s\n", line.c_str());
    total += about.macs_per_frame;
  }
  std::printf("total: %.1f M multiply-adds per frame\n", total / 1e6);
  for (const auto& sink : spec.sinks) {
    const std::string what = sink.params->describe();
    std::printf("sink '%s' (%s%s) <- %s\n", sink.name.c_str(), sink.type.c_str(),
                what.empty() ? "" : (": " + what).c_str(), sink.input.c_str());
  }
}

}  // namespace

Command setup_validate_command(CLI::App& root) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* app = root.add_subcommand(
      "validate",
      "Check a pipeline file without running it and print the resolved plan: each\n"
      "stage's output size, multiply-adds per frame, which kernels run as separable\n"
      "passes, the tile size and the thread count. Errors name file:line:column.");
  app->add_option("pipeline", args->pipeline, "Pipeline YAML file")->required();
  app->add_option("--set", args->overrides, "Override a key, e.g. --set source.path=clip.mp4")
      ->take_all()
      ->allow_extra_args(false);
  app->add_option("--threads", args->threads,
                  "Thread count to plan for, 1 to 1024 (0: runtime.threads)")
      ->type_name("N")
      ->check(thread_count("runtime.threads"));
  app->footer(util::exit_codes_help());
  return {app, [args]() {
            const config::PipelineSpec spec =
                config::load_pipeline(args->pipeline, args->overrides);
            std::string note;
            const auto size = probe_size(spec, note);
            if (size) config::check_geometry(spec, size->width, size->height);
            // The sinks' real encoders, containers and image formats, as the run opens them.
            pipeline::probe_outputs(spec, size);
            // Planned as the run would: no more threads than can run at once.
            const int threads = args->threads > 0 ? args->threads : spec.runtime.threads;
            print_plan(spec, threads > 0 ? pipeline::usable_threads(threads) : 0, size, note);
            io::check_stdout();
            return util::ExitCode::Ok;
          }};
}

}  // namespace conveyor::app
