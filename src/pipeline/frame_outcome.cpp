#include "frame_outcome.hpp"

#include "run_state.hpp"

namespace conveyor::pipeline {

metrics::FrameRecord frame_record(const Frame& frame) {
  metrics::FrameRecord record;
  record.sequence = frame.sequence;
  record.source_index = frame.source_index;
  record.drop = frame.drop;
  record.captured = frame.captured;
  record.stage_times = frame.stage_times;
  record.sink_started = frame.sink_started;
  record.sink_finished = frame.sink_finished;
  record.sinks = frame.sink_drops;
  return record;
}

std::unique_ptr<metrics::RunMetrics> make_run_metrics(const config::PipelineSpec& spec,
                                                      const std::string& trace_path) {
  std::vector<std::string> stage_names;
  for (const auto& stage : spec.stages) stage_names.push_back(stage.name);
  std::vector<std::string> sink_names;
  for (const auto& sink : spec.sinks) sink_names.push_back(sink.name);
  return std::make_unique<metrics::RunMetrics>(std::move(stage_names), std::move(sink_names),
                                               trace_path);
}

void record_end_of_run(RunState& state) {
  for (std::size_t s = 0; s < state.sinks.size(); ++s) {
    state.metrics->set_sink_skipped(s, state.sinks[s]->stats().skipped);
  }
  const double fps = state.source->fps();
  for (const SourceOutage& outage : state.source->stats().outages) {
    state.metrics->record_outage(outage.start, outage.length, fps);
  }
}

}  // namespace conveyor::pipeline
