// The latency picture of a run, drawn with OpenCV from the per-frame CSV
// trace (columns in docs/metrics.md): `conveyor report --plot`.
//
//   top:    latency of every frame over the run (x: frame, y: ms), stacked by
//           where the time went: each stage's queue wait and compute, the wait
//           before the sink, the sink; dropped frames marked in red
//   bottom: histogram of end-to-end latency, p50 and p99 marked
//   title:  pipeline name, frames written, fps
#pragma once

#include <cstdint>
#include <istream>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace conveyor::metrics {

// One row of the trace. Fields left empty in the CSV (a dropped frame has no
// timings) read as 0.
struct TraceRow {
  std::int64_t sequence = 0;
  std::int64_t source_index = 0;
  std::string outcome;  // "written" or a drop reason
  double captured_ms = 0;
  std::vector<double> queue_ms;    // one per stage
  std::vector<double> compute_ms;  // one per stage
  double sink_ms = 0;
  double end_to_end_ms = 0;

  bool written() const { return outcome == "written"; }
};

struct Trace {
  std::vector<std::string> stage_names;
  std::vector<TraceRow> rows;
};

// Reads a trace written by RunMetrics. Throws std::runtime_error naming the
// file (`name`) and the line of the first problem.
Trace parse_trace(std::istream& in, const std::string& name);
Trace read_trace(const std::string& path);

struct PlotLabels {
  std::string pipeline;     // shown in the title
  std::int64_t frames = 0;  // frames written, from the report
  double fps = 0;           // from the report
  // Frames dropped, from the report (traces written before live overwrites
  // had rows lack them). -1: count the trace's drops.
  std::int64_t dropped = -1;
};

// The whole picture, CV_8UC3, of `size`.
cv::Mat draw_latency_plot(const Trace& trace, const PlotLabels& labels,
                          cv::Size size = cv::Size(1400, 1000));

// Draws and writes a PNG; throws std::runtime_error when it cannot be written.
void write_latency_plot(const std::string& path, const Trace& trace, const PlotLabels& labels);

}  // namespace conveyor::metrics
