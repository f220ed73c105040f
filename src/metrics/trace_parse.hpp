// Parsing the lines of a per-frame CSV trace (columns in docs/metrics.md).
// Internal to the metrics layer: latency_trace.cpp and trace_file.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conveyor/metrics/latency_plot.hpp"

namespace conveyor::metrics::detail {

// The header's stage and sink names; throws std::runtime_error for anything
// but a Conveyor trace header (or one with more than kMaxTraceStages stages).
// Traces written before per-sink outcomes have no sink columns.
struct TraceColumns {
  std::vector<std::string> stages;
  std::vector<std::string> sinks;
};
TraceColumns parse_header(std::string_view line, const std::string& name);

// One data line into `row`. False: skip it (blank, or a last line cut short by
// a killed run, which is dropped rather than refusing the whole trace).
// `fields` is scratch space kept between calls.
bool parse_row(std::string_view line, bool cut_short, const TraceColumns& columns,
               const std::string& name, std::int64_t number_of_line,
               std::vector<std::string_view>& fields, TraceRow& row);

}  // namespace conveyor::metrics::detail
