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
#include "conveyor/pipeline/runner.hpp"
#include "conveyor/pipeline/shutdown.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/pipeline/source.hpp"
#include "convolve_stage.hpp"
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

struct RunState {
  RunState(const config::PipelineSpec& s, const RunOptions& o, Shutdown& sd)
      : spec(s), options(o), shutdown(sd) {}

  const config::PipelineSpec& spec;
  const RunOptions& options;
  Shutdown& shutdown;
  FatalError fatal;
  std::unique_ptr<Source> source;
  std::vector<std::unique_ptr<ConvolveStage>> stages;
  std::vector<std::unique_ptr<Sink>> sinks;
  std::vector<std::int64_t> sink_written;
  std::unique_ptr<metrics::RunMetrics> metrics;
  std::unique_ptr<Progress> progress;
  std::mutex live_mutex;  // guards metrics reads from the display thread
  int threads = 1;
  int in_flight = 1;
  bool live = false;    // capture thread + latest-frame slot
  double pace_fps = 0;  // > 0: frames released at this rate

  bool should_stop() const { return shutdown.stop_requested() || fatal.failed.load(); }
};

// Builds the flow graph and runs frames through it until the source ends or
// a stop; returns when every frame in flight has left the graph.
void run_graph(RunState& state);

}  // namespace conveyor::pipeline
