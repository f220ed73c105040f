// A run from start to end: open everything, run the graph (on another thread
// when a window needs the main thread), finalize every output, then turn what
// happened into an exit code, a summary and a report.
#include "conveyor/pipeline/runner.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <tbb/task_arena.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/thread_budget.hpp"
#include "conveyor/util/rate_limited_log.hpp"
#include "exit_guard.hpp"
#include "frame_outcome.hpp"
#include "hot_reload.hpp"
#include "run_report.hpp"
#include "run_state.hpp"
#include "sink_router.hpp"
#include "stale_temps.hpp"

namespace conveyor::pipeline {

void FatalError::set(util::ExitCode c, const std::string& m) {
  std::lock_guard lock(mutex);
  failed.store(true);
  if (code != util::ExitCode::Ok) {
    spdlog::error("{}", m);
    return;
  }
  code = c;
  message = m;
}

std::shared_ptr<const StageSet> make_stage_set(const config::PipelineSpec& spec) {
  auto set = std::make_shared<StageSet>();
  set->specs = spec.stages;
  for (std::size_t i = 0; i < spec.stages.size(); ++i) {
    const config::StageNeeds needs = stage_needs(spec, i);
    set->stages.push_back(spec.stages[i].node->make(spec.stages[i], spec.runtime, needs));
  }
  return set;
}

namespace {

RunResult finish_run(RunState& state);

// Live sources (and `pace: realtime`) default to latency mode: one frame in
// flight, its tiles spread over every thread. Files default to throughput.
int frames_in_flight(const config::PipelineSpec& spec, bool live) {
  const bool mode_written = spec.runtime.where.keys.count("mode") > 0;
  const bool latency = mode_written ? spec.runtime.mode == config::RunMode::Latency : live;
  return latency ? 1 : std::max(1, spec.runtime.max_in_flight);
}

LiveStats live_stats(RunState& state) {
  std::lock_guard lock(state.live_mutex);
  LiveStats stats;
  const metrics::Summary recent = state.metrics->recent().summary();
  stats.latency_p50_ms = recent.p50;
  stats.latency_p99_ms = recent.p99;
  stats.latency_last_ms = state.metrics->recent().last();
  stats.fps = state.metrics->recent_fps();
  stats.dropped = state.metrics->dropped();
  stats.decoded = state.metrics->decoded();
  return stats;
}

// The run's end after Qt called exit(): the graph thread drains within the
// drain timeout (else temporaries are removed, no report), then the outputs
// are finalized and the report written. Returns the exit status.
int finish_after_display_loss(RunState& state, MainThreadLoop& window, std::thread& graph_thread,
                              const std::atomic<bool>& finished) {
  state.fatal.set(util::ExitCode::Output,
                  "the display went away (the connection to the X server broke); the other "
                  "outputs were finalized");
  window.release();
  const auto limit = std::chrono::duration<double>(state.spec.runtime.drain_timeout_s);
  const auto start = std::chrono::steady_clock::now();
  while (!finished.load()) {
    if (std::chrono::steady_clock::now() - start > limit) {
      state.shutdown.abandon_outputs();
      std::fputs("conveyor: error: the display went away and the drain took too long\n", stderr);
      return util::exit_status(util::ExitCode::Output);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  graph_thread.join();
  const RunResult result = finish_run(state);
  std::fprintf(stderr, "conveyor: error: %s\n", result.message.c_str());
  return util::exit_status(result.exit_code);
}

// Runs the graph inside an arena of the configured size; with a window, the
// graph gets its own thread and the main thread serves the window.
void execute(RunState& state) {
  tbb::task_arena arena(state.threads);
  MainThreadLoop* window = nullptr;
  for (std::size_t s = 0; s < state.sinks.size(); ++s) {
    if (state.spec.sinks[s].node->main_thread)
      window = dynamic_cast<MainThreadLoop*>(state.sinks[s].get());
  }
  if (!window) {
    arena.execute([&] { run_graph(state); });
    return;
  }
  std::atomic<bool> finished{false};
  std::thread graph_thread([&] {
    arena.execute([&] { run_graph(state); });
    finished.store(true);
  });
  // Qt ends the process with exit() when the display goes away: finish the
  // run from there, the window being a failed output (exit_guard.hpp).
  const ExitGuard exit_guard(
      [&] { return finish_after_display_loss(state, *window, graph_thread, finished); });
  while (!finished.load()) {
    if (!window->pump(std::chrono::milliseconds(10))) state.shutdown.request_stop();
    if (state.should_stop()) window->release();  // nobody waits on a window that is going away
  }
  graph_thread.join();
}

// Drops that count against runtime.max_drop_ratio. A live_overwrite is the
// live policy at work (the newest frame wins when the stages are slower than
// the source), not a loss, so it never fails a run; it is still reported.
std::int64_t counted_drops(const metrics::RunMetrics& metrics) {
  return metrics.dropped() - metrics.dropped(DropReason::LiveOverwrite);
}

RunResult outcome(RunState& state) {
  RunResult result;
  result.decoded = state.metrics->decoded();
  result.written = state.metrics->written();
  result.dropped = state.metrics->dropped();
  const std::int64_t counted = counted_drops(*state.metrics);
  const double ratio = state.spec.runtime.max_drop_ratio;
  if (state.fatal.code != util::ExitCode::Ok) {
    result.exit_code = state.fatal.code;
    result.message = state.fatal.message;
  } else if (state.shutdown.signal() != 0) {
    result.exit_code = signal_exit_code(state.shutdown.signal());
    result.message =
        std::string("stopped by ") + signal_name(state.shutdown.signal()) + "; outputs finalized";
  } else if (result.decoded > 0 &&
             static_cast<double>(counted) > ratio * static_cast<double>(result.decoded)) {
    const std::int64_t overwritten = result.dropped - counted;
    result.exit_code = util::ExitCode::DroppedFrames;
    result.message = fmt::format(
        "{} of {} frames dropped ({:.1f}%{}); runtime.max_drop_ratio allows {:g} (see the drops "
        "by reason above)",
        counted, result.decoded,
        100.0 * static_cast<double>(counted) / static_cast<double>(result.decoded),
        overwritten > 0 ? fmt::format(", not counting {} live_overwrite", overwritten) : "", ratio);
  } else if (result.decoded == 0) {
    result.exit_code = util::ExitCode::Input;
    result.message = "the source gave no frame: " + state.source->describe();
  }
  return result;
}

}  // namespace

namespace {

// Live or paced, frames in flight, threads: what the source, the spec and the
// command line ask for.
void choose_pacing_and_threads(RunState& state) {
  const config::PipelineSpec& spec = state.spec;
  const int threads = state.options.threads;
  state.live = spec.source.is_live() || spec.source.pace == config::Pace::Realtime;
  state.pace_fps = spec.source.pace == config::Pace::Realtime ? state.source->fps() : 0.0;
  state.in_flight = frames_in_flight(spec, state.live);
  state.threads_requested = threads > 0                ? threads
                            : spec.runtime.threads > 0 ? spec.runtime.threads
                                                       : tbb::this_task_arena::max_concurrency();
  state.threads = usable_threads(state.threads_requested);
}

}  // namespace

RunResult run_pipeline(const config::PipelineSpec& spec, const RunOptions& options) {
  Shutdown shutdown;  // first: signals blocked before any worker thread exists
  shutdown.set_drain_timeout(spec.runtime.drain_timeout_s);
  RunState state{spec, options, shutdown};
  remove_stale_temporaries(spec, std::chrono::system_clock::now());

  state.source = make_source(spec.source);
  state.stage_set = make_stage_set(spec);
  state.stage_count = spec.stages.size();
  for (const auto& sink_spec : spec.sinks) state.sinks.push_back(make_sink(sink_spec));
  state.sink_written.assign(state.sinks.size(), 0);

  try {
    state.source->open();
  } catch (const InputError& error) {
    return failed_start(state, util::ExitCode::Input, error.what());
  }
  choose_pacing_and_threads(state);
  try {
    state.metrics = make_run_metrics(spec, spec.metrics.trace);
  } catch (const std::runtime_error& error) {
    return failed_start(state, util::ExitCode::Output, error.what());
  }
  shutdown.set_emergency([&state] {
    for (auto& sink : state.sinks) sink->abandon_temporaries();
    state.metrics->abandon_trace();
  });
  SinkContext context{state.source->fps(),
                      spec.name,
                      [&state] { return live_stats(state); },
                      [&shutdown] { shutdown.request_stop(); },
                      {}};
  try {
    for (std::size_t s = 0; s < state.sinks.size(); ++s) {
      context.input_maps = config::sink_input_maps(spec, s);
      state.sinks[s]->open(context);
    }
  } catch (const OutputError& error) {
    for (auto& sink : state.sinks) sink->abort();
    return failed_start(state, util::ExitCode::Output, error.what());
  }

  std::optional<std::int64_t> expected = state.source->expected_frames();
  if (options.max_frames > 0) {
    expected = expected ? std::min(*expected, options.max_frames) : options.max_frames;
  }
  state.progress = std::make_unique<Progress>(expected, options.quiet);
  spdlog::info(
      "running '{}': {} -> {} stage(s) -> {} sink(s), {} thread(s), {} frame(s) in flight{}",
      spec.name, state.source->describe(), state.stage_count, state.sinks.size(), state.threads,
      state.in_flight, state.live ? ", live" : "");

  state.metrics->start();
  std::unique_ptr<HotReload> watcher;
  if (!options.watch_file.empty()) {
    watcher = std::make_unique<HotReload>(state, options.watch_file, options.overrides);
  }
  execute(state);
  watcher.reset();
  return finish_run(state);
}

namespace {

// Finalizes every sink, even after a fatal error (what was written is kept);
// returns the outputs they name, for the summary and the report.
std::string finish_sinks(RunState& state) {
  std::string outputs;
  for (std::size_t s = 0; s < state.sinks.size(); ++s) {
    try {
      state.sinks[s]->finish();
    } catch (const std::exception& error) {
      state.fatal.set(util::ExitCode::Output, error.what());
    }
    const SinkStats stats = state.sinks[s]->stats();
    if (!stats.output.empty()) outputs += (outputs.empty() ? "" : ", ") + stats.output;
    if (!stats.notes.empty()) spdlog::info("sink '{}': {}", state.spec.sinks[s].name, stats.notes);
  }
  return outputs;
}

// Finalizes every output, writes the report and prints the summary.
RunResult finish_run(RunState& state) {
  const config::PipelineSpec& spec = state.spec;
  const RunOptions& options = state.options;
  Shutdown& shutdown = state.shutdown;
  state.metrics->finish();
  if (auto failure = state.metrics->take_trace_error())
    state.fatal.set(util::ExitCode::Output, *failure);
  state.progress->finish();
  util::frame_warnings().flush();

  const std::string outputs = finish_sinks(state);
  if (const std::string error = state.metrics->close_trace(); !error.empty())
    state.fatal.set(util::ExitCode::Output, error);
  shutdown.mark_finished();
  // Outputs are final: a late signal must not touch sinks being destroyed.
  shutdown.set_emergency({});
  state.source->close();
  const SourceStats source_stats = state.source->stats();
  record_end_of_run(state);  // viewer skips, source outages
  if (!source_stats.notes.empty())
    spdlog::warn("{}: {}", state.source->describe(), source_stats.notes);

  RunResult result = outcome(state);
  const std::string trace = state.metrics->trace_written() ? spec.metrics.trace : "";
  nlohmann::json extra = {
      {"pipeline", spec.name},    {"source", state.source->describe()},
      {"outputs", outputs},       {"trace", trace},
      {"threads", state.threads}, {"max_in_flight", state.in_flight},
      {"live", state.live},       {"exit_code", util::exit_status(result.exit_code)},
      {"message", result.message}};
  extra["threads_requested"] = state.threads_requested;
  extra["source_notes"] = source_stats.notes;
  bool report_written = false;
  if (!spec.metrics.report.empty()) {
    try {
      write_report(spec.metrics.report, state.metrics->report(extra));
      report_written = true;
    } catch (const std::exception& error) {
      if (result.exit_code == util::ExitCode::Ok) {
        result.exit_code = util::ExitCode::Output;
        result.message = error.what();
      } else {
        spdlog::error("{}", error.what());
      }
    }
  }
  if (!options.quiet) {
    std::fprintf(stderr, "%s\n", state.metrics->summary_text().c_str());
    if (!outputs.empty()) std::fprintf(stderr, "output: %s\n", outputs.c_str());
    if (report_written) std::fprintf(stderr, "report: %s\n", spec.metrics.report.c_str());
  }
  return result;
}

}  // namespace
}  // namespace conveyor::pipeline
