// What the parts of one run share: the sources, stages and sinks, the metrics,
// the stop flags and the first fatal error.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/metrics/run_metrics.hpp"
#include "conveyor/pipeline/frame.hpp"
#include "conveyor/pipeline/runner.hpp"
#include "conveyor/pipeline/shutdown.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/pipeline/source.hpp"
#include "conveyor/pipeline/stage.hpp"
#include "progress.hpp"

namespace conveyor::pipeline {

// The first fatal problem of a run; later ones are only logged.
struct FatalError {
  std::mutex mutex;
  std::atomic<bool> failed{false};  // read by the source without the lock
  util::ExitCode code = util::ExitCode::Ok;
  std::string message;

  void set(util::ExitCode c, const std::string& m);
};

// The stages of a run, with the spec they were built from.
struct StageSet {
  std::vector<config::StageSpec> specs;
  std::vector<std::unique_ptr<Stage>> stages;
};

// Builds the stages of `spec`, keeping maps where sinks, windows or the next
// stage need them (stage_needs).
std::shared_ptr<const StageSet> make_stage_set(const config::PipelineSpec& spec);

struct RunState {
  RunState(const config::PipelineSpec& s, const RunOptions& o, Shutdown& sd)
      : spec(s), options(o), shutdown(sd) {}

  const config::PipelineSpec& spec;
  const RunOptions& options;
  Shutdown& shutdown;
  FatalError fatal;
  std::unique_ptr<Source> source;
  std::shared_ptr<const StageSet> stage_set;     // swapped by hot reload (atomic access)
  std::size_t stage_count = 0;                   // fixed for the run
  std::atomic<bool> first_frame_checked{false};  // first_frame_check.hpp
  std::atomic<int> frame_width{0};               // the last frame's size, for reload checks
  std::atomic<int> frame_height{0};
  std::vector<std::unique_ptr<Sink>> sinks;
  std::vector<std::int64_t> sink_written;
  std::vector<char> sink_broken;  // 1: failed for good, no more writes (sink thread only)
  std::unique_ptr<metrics::RunMetrics> metrics;
  std::unique_ptr<Progress> progress;
  std::mutex live_mutex;      // guards metrics reads from the display thread
  int threads = 1;            // what the arena really runs
  int threads_requested = 1;  // --threads, runtime.threads or every hardware thread
  int in_flight = 1;
  bool live = false;    // capture thread + latest-frame slot
  double pace_fps = 0;  // > 0: frames released at this rate

  std::shared_ptr<const StageSet> current_stages() const { return std::atomic_load(&stage_set); }
  void replace_stages(std::shared_ptr<const StageSet> next) {
    std::atomic_store(&stage_set, std::move(next));
  }

  bool should_stop() const { return shutdown.stop_requested() || fatal.failed.load(); }
};

// Builds the flow graph and runs frames through it until the source ends or
// a stop; returns when every frame in flight has left the graph.
void run_graph(RunState& state);

}  // namespace conveyor::pipeline
