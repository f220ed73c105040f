// `conveyor run PIPELINE`: executes a pipeline file.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <limits>

#include "cli_numbers.hpp"
#include "command.hpp"
#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/pipeline/output_probe.hpp"
#include "conveyor/pipeline/process_setup.hpp"
#include "conveyor/pipeline/runner.hpp"

namespace conveyor::app {
namespace {

struct RunArgs {
  std::string pipeline;
  std::vector<std::string> overrides;
  std::int64_t frames = 0;
  int threads = 0;
  bool quiet = false;
  bool watch = false;
};

bool stopped_by_signal(util::ExitCode code) {
  return code == util::ExitCode::Hangup || code == util::ExitCode::Interrupted ||
         code == util::ExitCode::Terminated;
}

}  // namespace

Command setup_run_command(CLI::App& root) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* app = root.add_subcommand(
      "run",
      "Run a pipeline file: source -> convolution stages -> sinks, as a oneTBB flow graph.\n"
      "The whole file is validated before the first frame. Every decoded frame is\n"
      "written or counted as dropped with a reason; outputs are always finalized.\n"
      "SIGINT/SIGTERM/SIGHUP drain frames in flight, finalize outputs and exit\n"
      "130/143/129; a second signal aborts at once without leaving a partial output file.");
  app->add_option("pipeline", args->pipeline, "Pipeline YAML file (see docs/pipelines.md)")
      ->required();
  app->add_option("--set", args->overrides,
                  "Override a key, e.g. --set source.path=clip.mp4 --set runtime.threads=2")
      ->take_all()
      ->allow_extra_args(false);
  app->add_option("--frames", args->frames, "Stop after N frames (0: all)")
      ->type_name("N")
      ->check(whole_number(0, std::numeric_limits<std::int64_t>::max(),
                           "0 (every frame) or a positive number of frames", ">=0"));
  app->add_option("--threads", args->threads,
                  "Worker threads, 1 to 1024 (overrides runtime.threads; 0: runtime.threads)")
      ->type_name("N")
      ->check(thread_count("runtime.threads"));
  app->add_flag("--quiet,-q", args->quiet, "No progress bar and no summary");
  app->add_flag("--watch", args->watch,
                "Reload the banks when the pipeline file changes, between two frames, without "
                "stopping capture; an invalid edit is reported and the old banks keep running");
  app->footer(util::exit_codes_help());
  return {app, [args]() {
            // Before loading (which may take a while): a signal now waits
            // for the run instead of being lost or killing the process.
            pipeline::block_stop_signals();
            const config::PipelineSpec spec =
                config::load_pipeline(args->pipeline, args->overrides);
            // As `validate`: a sink whose encoder, container or format refuses
            // what it will get is a configuration error before the first frame.
            pipeline::probe_outputs(spec, spec.source.known_size());
            pipeline::RunOptions options;
            options.max_frames = args->frames;
            options.threads = args->threads;
            options.quiet = args->quiet;
            if (args->watch) {
              options.watch_file = args->pipeline;
              options.overrides = args->overrides;
            }
            const pipeline::RunResult result = pipeline::run_pipeline(spec, options);
            if (stopped_by_signal(result.exit_code)) {
              // The designed end of a signal, not an error.
              spdlog::warn("{}", result.message);
              return result.exit_code;
            }
            if (result.exit_code != util::ExitCode::Ok) {
              throw util::ExitError(result.exit_code, result.message);
            }
            return util::ExitCode::Ok;
          }};
}

}  // namespace conveyor::app
