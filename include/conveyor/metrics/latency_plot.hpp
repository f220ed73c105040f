// The latency picture of a run, drawn with OpenCV from the per-frame CSV
// trace (columns in docs/metrics.md): `conveyor report --plot`.
//
//   top:    latency of every frame over the run (x: frame, y: ms), stacked by
//           where the time went: each stage's queue wait and compute, the wait
//           before the sink, the sink; dropped frames marked in red
//   bottom: histogram of end-to-end latency, p50 and p99 marked
//   title:  pipeline name, frames written, fps
// The time series is drawn per pixel column (the mean stack of the frames in
// it and their worst end-to-end latency); the histogram and p50/p99 are exact.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "conveyor/metrics/latency_stats.hpp"

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
  std::vector<std::string> sink_outcomes;  // one per sink: "written" or a drop reason

  bool written() const { return outcome == "written"; }
};

struct Trace {
  std::vector<std::string> stage_names;
  std::vector<std::string> sink_names;  // none in traces written before per-sink outcomes
  std::vector<TraceRow> rows;
};

// Reads a trace written by RunMetrics into memory (tests, small traces).
// Throws std::runtime_error naming the file (`name`) and the line of the first
// problem.
Trace parse_trace(std::istream& in, const std::string& name);
Trace read_trace(const std::string& path);

// Rows of a trace, read in passes: the plot goes over a trace two or three
// times and never holds its rows, so a day-long trace plots in bounded memory.
class TraceSource {
 public:
  virtual ~TraceSource() = default;
  virtual const std::vector<std::string>& stage_names() const = 0;
  // Calls `visit` for every row in file order. The row is reused between calls.
  virtual void for_each_row(const std::function<void(const TraceRow&)>& visit) = 0;
};

// A trace held in memory.
class TraceInMemory : public TraceSource {
 public:
  explicit TraceInMemory(const Trace& trace) : trace_(trace) {}
  const std::vector<std::string>& stage_names() const override { return trace_.stage_names; }
  void for_each_row(const std::function<void(const TraceRow&)>& visit) override;

 private:
  const Trace& trace_;
};

// A trace file streamed line by line. It must be a regular file (never
// /dev/zero, a FIFO or a directory); lines are at most kMaxTraceLineBytes and
// the header names at most kMaxTraceStages stages. Every pass reads the bytes
// the first pass read, so a trace still being written gives consistent passes.
// Throws std::runtime_error naming the file and line.
inline constexpr std::size_t kMaxTraceLineBytes = 64 * 1024;
inline constexpr std::size_t kMaxTraceStages = 256;
class TraceFile : public TraceSource {
 public:
  explicit TraceFile(const std::string& path);
  ~TraceFile() override;
  const std::vector<std::string>& stage_names() const override;
  const std::vector<std::string>& sink_names() const;
  void for_each_row(const std::function<void(const TraceRow&)>& visit) override;
  // Rows of the last pass.
  std::int64_t rows() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct PlotLabels {
  std::string pipeline;     // shown in the title
  std::int64_t frames = 0;  // frames written, from the report
  double fps = 0;           // from the report
  // Frames dropped, from the report (traces written before live overwrites
  // had rows lack them). -1: count the trace's drops.
  std::int64_t dropped = -1;
};

// The whole picture, CV_8UC3, of `size`. `latency`, when given, receives the
// trace's end-to-end count, min, max, p50 and p99 (exact) as the plot shows them.
cv::Mat draw_latency_plot(TraceSource& trace, const PlotLabels& labels,
                          cv::Size size = cv::Size(1400, 1000), Summary* latency = nullptr);
cv::Mat draw_latency_plot(const Trace& trace, const PlotLabels& labels,
                          cv::Size size = cv::Size(1400, 1000));

// Encodes and writes an image file as cv::imwrite does: false (or a thrown
// cv::Exception) when it cannot. Metrics do not encode images themselves: the
// caller gives the encoder (the tool: the media plugin's).
using ImageWriter = std::function<bool(const std::string& path, const cv::Mat& picture)>;

// Writes a drawn plot as a PNG through `write`, under a temporary name moved
// into place; throws std::runtime_error when it cannot.
void write_plot_image(const std::string& path, const cv::Mat& picture, const ImageWriter& write);
// Draws and writes a PNG; throws std::runtime_error when it cannot be written.
void write_latency_plot(const std::string& path, TraceSource& trace, const PlotLabels& labels,
                        const ImageWriter& write);
void write_latency_plot(const std::string& path, const Trace& trace, const PlotLabels& labels,
                        const ImageWriter& write);

}  // namespace conveyor::metrics
