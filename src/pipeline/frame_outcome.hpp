// Between the pipeline's frames and what metrics record of them: the plain
// per-frame record, the run's metrics sized for its stages and sinks, and the
// counts only known at the end (viewer skips, source outages).
#pragma once

#include <memory>
#include <string>

#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/metrics/run_metrics.hpp"
#include "conveyor/pipeline/frame.hpp"

namespace conveyor::pipeline {

struct RunState;

// What metrics know of `frame`: numbers, outcome, timestamps, per-sink outcomes.
metrics::FrameRecord frame_record(const Frame& frame);

// The metrics of a run of `spec`, one series per stage and one count per
// sink; `trace_path` "" for none. Throws metrics::TraceError.
std::unique_ptr<metrics::RunMetrics> make_run_metrics(const config::PipelineSpec& spec,
                                                      const std::string& trace_path);

// After the sinks finished and the source closed: each sink's viewer skips
// and the source's outages, into the run's metrics.
void record_end_of_run(RunState& state);

}  // namespace conveyor::pipeline
