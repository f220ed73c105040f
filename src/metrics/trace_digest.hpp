// What the latency plot needs from a trace, gathered in a few streaming
// passes without holding the rows: per pixel column of the timeline, the mean
// stack and worst end-to-end latency; the exact p50, p99, min and max of the
// end-to-end latency; the histogram's bins. Internal to the metrics layer.
#pragma once

#include <cstdint>
#include <vector>

#include "conveyor/metrics/latency_plot.hpp"
#include "conveyor/metrics/latency_stats.hpp"
#include "plot_canvas.hpp"

namespace conveyor::metrics::detail {

struct TimelineColumns {
  plot::Axis x;                      // frame numbers
  std::size_t parts = 0;             // stacked parts per frame (see components())
  std::vector<double> means;         // column * parts + part
  std::vector<std::int64_t> counts;  // frames per column
  std::vector<double> peaks;         // worst end-to-end latency per column
  std::vector<char> drop_ticks;      // columns (0..width) with a dropped frame
  std::int64_t drops = 0;
  bool any = false;     // the trace has rows
  bool shared = false;  // some column holds several frames
};

struct HistogramBins {
  plot::Axis x;  // latency (ms)
  double width = 1;
  std::vector<std::int64_t> counts;
  std::int64_t beyond = 0;  // frames above x.hi
};

struct TraceDigest {
  Summary latency;  // end to end, written frames; mean, p90 and p99.9 are not used
  TimelineColumns timeline;
  HistogramBins histogram;
};

// Where the time of one frame went, bottom to top of the stack.
void components(const TraceRow& row, std::vector<double>& parts);

// `columns` pixel columns wide.
TraceDigest digest_trace(TraceSource& trace, int columns);

}  // namespace conveyor::metrics::detail
