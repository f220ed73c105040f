// TraceFile: a trace streamed from a regular file, line by line, in passes.
#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "conveyor/metrics/latency_plot.hpp"
#include "conveyor/util/guarded_file.hpp"
#include "trace_parse.hpp"

namespace conveyor::metrics {

struct TraceFile::State {
  explicit State(const std::string& path)
      : file(path, "the per-frame CSV written by `conveyor run` (metrics.trace)") {}

  util::RegularFile file;
  detail::TraceColumns columns;
  std::uint64_t limit = ~std::uint64_t{0};  // bytes every pass reads: the first pass's
  std::int64_t rows = -1;                   // rows of the first pass
  std::int64_t last_rows = 0;
  std::vector<char> buffer = std::vector<char>(1 << 16);
  std::string pending;
  std::vector<std::string_view> fields;
  TraceRow row;

  // Calls `line(text, number, cut_short)` for every line of one pass.
  template <class Line>
  void read_lines(Line&& line) {
    file.rewind();
    pending.clear();
    std::uint64_t consumed = 0;
    std::int64_t number = 0;
    while (consumed < limit) {
      const std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), limit - consumed));
      const std::size_t got = file.read_some(buffer.data(), want);
      if (got == 0) break;
      consumed += got;
      std::size_t start = 0;
      while (start < got) {
        const void* found = std::memchr(buffer.data() + start, '\n', got - start);
        const std::size_t end =
            found == nullptr
                ? got
                : static_cast<std::size_t>(static_cast<const char*>(found) - buffer.data());
        const std::string_view piece(buffer.data() + start, end - start);
        if (pending.size() + piece.size() > kMaxTraceLineBytes) {
          throw std::runtime_error("trace '" + file.path() + "' line " +
                                   std::to_string(number + 1) + ": longer than " +
                                   std::to_string(kMaxTraceLineBytes) +
                                   " bytes; expected the per-frame CSV written by `conveyor run`");
        }
        if (found == nullptr) {
          pending.append(piece);
          break;
        }
        ++number;
        if (pending.empty()) {
          line(piece, number, false);
        } else {
          pending.append(piece);
          line(std::string_view(pending), number, false);
          pending.clear();
        }
        start = end + 1;
      }
    }
    if (limit == ~std::uint64_t{0}) limit = consumed;
    if (!pending.empty()) line(std::string_view(pending), number + 1, true);
  }
};

TraceFile::TraceFile(const std::string& path) {
  try {
    state_ = std::make_unique<State>(path);
  } catch (const util::FileReadError& e) {
    throw std::runtime_error("trace '" + path + "': " + e.reason());
  }
  // The header alone: the first line.
  bool seen = false;
  State& s = *state_;
  const std::uint64_t saved = s.limit;
  s.limit = kMaxTraceLineBytes + 2;
  try {
    s.read_lines([&](std::string_view line, std::int64_t number, bool) {
      if (number != 1 || seen) return;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      s.columns = detail::parse_header(line, path);
      seen = true;
    });
  } catch (const std::runtime_error&) {
    if (!seen) throw;  // a long second line is the passes' business
  }
  s.limit = saved;
  if (!seen) {
    throw std::runtime_error("trace '" + path +
                             "' line 1: empty file; expected the header sequence,source_index,"
                             "outcome,captured_ms,...,sink_ms,end_to_end_ms");
  }
}

TraceFile::~TraceFile() = default;

const std::vector<std::string>& TraceFile::stage_names() const {
  return state_->columns.stages;
}

const std::vector<std::string>& TraceFile::sink_names() const {
  return state_->columns.sinks;
}

std::int64_t TraceFile::rows() const {
  return state_->last_rows;
}

void TraceFile::for_each_row(const std::function<void(const TraceRow&)>& visit) {
  State& s = *state_;
  std::int64_t rows = 0;
  s.read_lines([&](std::string_view line, std::int64_t number, bool cut_short) {
    if (number == 1) return;  // the header
    if (detail::parse_row(line, cut_short, s.columns, s.file.path(), number, s.fields, s.row)) {
      ++rows;
      visit(s.row);
    }
  });
  if (s.rows >= 0 && rows != s.rows) {
    throw std::runtime_error("trace '" + s.file.path() + "' changed while it was read (" +
                             std::to_string(s.rows) + " rows, then " + std::to_string(rows) +
                             "); expected a finished trace");
  }
  s.rows = rows;
  s.last_rows = rows;
}

}  // namespace conveyor::metrics
