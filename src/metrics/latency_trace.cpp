// Reading the per-frame CSV trace written by RunMetrics: in memory, or
// streamed from a regular file in passes.
#include <charconv>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "conveyor/metrics/latency_plot.hpp"
#include "trace_parse.hpp"

namespace conveyor::metrics {
namespace {

[[noreturn]] void fail(const std::string& name, std::int64_t line, const std::string& what) {
  throw std::runtime_error("trace '" + name + "' line " + std::to_string(line) + ": " + what);
}

// Fields of a non-empty line; "a,b," has three.
void split(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) return;
    start = comma + 1;
  }
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

double number(std::string_view field, const std::string& name, std::int64_t line) {
  if (field.empty()) return 0.0;
  std::string_view digits = field;
  if (digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
    fail(name, line, "'" + std::string(field.substr(0, 40)) + "' is not a finite number");
  }
  return value;
}

std::int64_t integer(std::string_view field, const std::string& name, std::int64_t line) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size()) {
    fail(name, line, "'" + std::string(field.substr(0, 40)) + "' is not a frame number");
  }
  return value;
}

const char* kExpected =
    "expected the header sequence,source_index,outcome,captured_ms,"
    "[<stage>_queue_ms,<stage>_compute_ms]...,sink_ms,end_to_end_ms[,<sink>_outcome]...";

}  // namespace

namespace detail {

TraceColumns parse_header(std::string_view line, const std::string& name) {
  std::vector<std::string_view> header;
  split(line, header);
  const std::size_t columns = header.size();
  if (columns < 6 || header[0] != "sequence" || header[1] != "source_index" ||
      header[2] != "outcome" || header[3] != "captured_ms") {
    fail(name, 1, std::string("not a Conveyor trace; ") + kExpected);
  }
  TraceColumns result;
  std::size_t c = 4;
  for (; c + 1 < columns && ends_with(header[c], "_queue_ms"); c += 2) {
    if (!ends_with(header[c + 1], "_compute_ms")) {
      fail(name, 1,
           "column '" + std::string(header[c + 1]) + "' is not a stage column; " + kExpected);
    }
    if (result.stages.size() == kMaxTraceStages) {
      fail(name, 1,
           "more than " + std::to_string(kMaxTraceStages) + " stages; expected at most " +
               std::to_string(kMaxTraceStages));
    }
    result.stages.emplace_back(header[c].substr(0, header[c].size() - 9));
  }
  if (c + 1 >= columns || header[c] != "sink_ms" || header[c + 1] != "end_to_end_ms") {
    fail(name, 1,
         "column '" + std::string(header[std::min(c, columns - 1)]) +
             "' is not a stage column or sink_ms; " + kExpected);
  }
  for (c += 2; c < columns; ++c) {
    if (!ends_with(header[c], "_outcome") || header[c].size() == 8) {
      fail(name, 1, "column '" + std::string(header[c]) + "' is not a sink column; " + kExpected);
    }
    result.sinks.emplace_back(header[c].substr(0, header[c].size() - 8));
  }
  return result;
}

bool parse_row(std::string_view line, bool cut_short, const TraceColumns& columns,
               const std::string& name, std::int64_t number_of_line,
               std::vector<std::string_view>& fields, TraceRow& row) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return false;
  split(line, fields);
  const std::size_t stages = columns.stages.size();
  const std::size_t timed = 6 + 2 * stages;  // up to end_to_end_ms
  const std::size_t expected = timed + columns.sinks.size();
  if (cut_short && (fields.size() != expected || fields[2].empty() ||
                    (expected > timed && fields.back().empty()))) {
    return false;
  }
  if (fields.size() != expected) {
    fail(name, number_of_line,
         std::to_string(fields.size()) + " fields; the header has " + std::to_string(expected));
  }
  row.sequence = integer(fields[0], name, number_of_line);
  row.source_index = integer(fields[1], name, number_of_line);
  row.outcome.assign(fields[2]);
  row.captured_ms = number(fields[3], name, number_of_line);
  row.queue_ms.resize(stages);
  row.compute_ms.resize(stages);
  for (std::size_t s = 0; s < stages; ++s) {
    row.queue_ms[s] = number(fields[4 + 2 * s], name, number_of_line);
    row.compute_ms[s] = number(fields[5 + 2 * s], name, number_of_line);
  }
  row.sink_ms = number(fields[timed - 2], name, number_of_line);
  row.end_to_end_ms = number(fields[timed - 1], name, number_of_line);
  row.sink_outcomes.resize(columns.sinks.size());
  for (std::size_t s = 0; s < columns.sinks.size(); ++s)
    row.sink_outcomes[s].assign(fields[timed + s]);
  return true;
}

}  // namespace detail

using detail::parse_header;
using detail::parse_row;

Trace parse_trace(std::istream& in, const std::string& name) {
  std::string line;
  if (!std::getline(in, line)) fail(name, 1, std::string("empty file; ") + kExpected);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  Trace trace;
  const detail::TraceColumns columns = parse_header(line, name);
  trace.stage_names = columns.stages;
  trace.sink_names = columns.sinks;
  std::vector<std::string_view> fields;
  std::int64_t number_of_line = 1;
  TraceRow row;
  while (std::getline(in, line)) {
    ++number_of_line;
    if (parse_row(line, in.eof(), columns, name, number_of_line, fields, row)) {
      trace.rows.push_back(row);
    }
  }
  return trace;
}

Trace read_trace(const std::string& path) {
  TraceFile file(path);
  Trace trace;
  trace.stage_names = file.stage_names();
  trace.sink_names = file.sink_names();
  file.for_each_row([&](const TraceRow& row) { trace.rows.push_back(row); });
  return trace;
}

void TraceInMemory::for_each_row(const std::function<void(const TraceRow&)>& visit) {
  for (const auto& row : trace_.rows) visit(row);
}

}  // namespace conveyor::metrics
