// Reading the per-frame CSV trace written by RunMetrics.
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "conveyor/metrics/latency_plot.hpp"

namespace conveyor::metrics {
namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

[[noreturn]] void fail(const std::string& name, int line, const std::string& what) {
  throw std::runtime_error("trace '" + name + "' line " + std::to_string(line) + ": " + what);
}

double number(const std::string& field, const std::string& name, int line) {
  if (field.empty()) return 0.0;
  try {
    std::size_t used = 0;
    const double value = std::stod(field, &used);
    if (used == field.size()) return value;
  } catch (const std::exception&) {
  }
  fail(name, line, "'" + field + "' is not a number");
}

std::int64_t integer(const std::string& field, const std::string& name, int line) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size()) {
    fail(name, line, "'" + field + "' is not a frame number");
  }
  return value;
}

}  // namespace

Trace parse_trace(std::istream& in, const std::string& name) {
  const std::string expected =
      "expected the header sequence,source_index,outcome,captured_ms,"
      "[<stage>_queue_ms,<stage>_compute_ms]...,sink_ms,end_to_end_ms";
  std::string line;
  if (!std::getline(in, line)) fail(name, 1, "empty file; " + expected);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto header = split(line);
  const std::size_t columns = header.size();
  if (columns < 6 || header[0] != "sequence" || header[1] != "source_index" ||
      header[2] != "outcome" || header[3] != "captured_ms" || header[columns - 2] != "sink_ms" ||
      header[columns - 1] != "end_to_end_ms" || (columns - 6) % 2 != 0) {
    fail(name, 1, "not a Conveyor trace; " + expected);
  }
  Trace trace;
  for (std::size_t c = 4; c + 2 < columns; c += 2) {
    if (!ends_with(header[c], "_queue_ms") || !ends_with(header[c + 1], "_compute_ms")) {
      fail(name, 1, "column '" + header[c] + "' is not a stage column; " + expected);
    }
    trace.stage_names.push_back(header[c].substr(0, header[c].size() - 9));
  }
  const std::size_t stages = trace.stage_names.size();
  int number_of_line = 1;
  while (std::getline(in, line)) {
    ++number_of_line;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto fields = split(line);
    // A run killed while writing leaves a last line without its newline:
    // drop it rather than refuse the whole trace.
    const bool cut_short = in.eof();
    if (cut_short && (fields.size() != columns || fields[2].empty())) break;
    if (fields.size() != columns) {
      fail(name, number_of_line,
           std::to_string(fields.size()) + " fields; the header has " + std::to_string(columns));
    }
    TraceRow row;
    row.sequence = integer(fields[0], name, number_of_line);
    row.source_index = integer(fields[1], name, number_of_line);
    row.outcome = fields[2];
    row.captured_ms = number(fields[3], name, number_of_line);
    for (std::size_t s = 0; s < stages; ++s) {
      row.queue_ms.push_back(number(fields[4 + 2 * s], name, number_of_line));
      row.compute_ms.push_back(number(fields[5 + 2 * s], name, number_of_line));
    }
    row.sink_ms = number(fields[columns - 2], name, number_of_line);
    row.end_to_end_ms = number(fields[columns - 1], name, number_of_line);
    trace.rows.push_back(std::move(row));
  }
  return trace;
}

Trace read_trace(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the trace '" + path + "'");
  return parse_trace(in, path);
}

}  // namespace conveyor::metrics
