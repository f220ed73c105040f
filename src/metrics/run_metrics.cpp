#include "conveyor/metrics/run_metrics.hpp"

#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "conveyor/util/temp_names.hpp"
#include "trace_writer.hpp"

namespace conveyor::metrics {
namespace {

double ms_between(Clock::time_point a, Clock::time_point b) {
  if (a == Clock::time_point{} || b == Clock::time_point{}) return 0.0;
  return std::chrono::duration<double, std::milli>(b - a).count();
}

nlohmann::json to_json(const Summary& s) {
  return {{"count", s.count}, {"mean", s.mean}, {"p50", s.p50}, {"p90", s.p90},
          {"p99", s.p99},     {"p999", s.p999}, {"max", s.max}, {"min", s.min}};
}

// A series' summary with its histogram (fixed buckets: runs merge exactly).
nlohmann::json to_json(const LatencySamples& samples) {
  nlohmann::json json = to_json(samples.summary());
  json["histogram"] = samples.histogram().to_json();
  return json;
}

}  // namespace

RunMetrics::RunMetrics(std::vector<std::string> stage_names, std::vector<std::string> sink_names,
                       const std::string& trace_path, std::size_t exact_cap)
    : end_to_end_ms_(exact_cap), sink_ms_(exact_cap) {
  for (auto& name : stage_names) {
    stages_.push_back(
        StageSamples{std::move(name), LatencySamples(exact_cap), LatencySamples(exact_cap)});
  }
  for (auto& name : sink_names) sinks_.push_back(SinkOutcome{std::move(name)});
  if (!trace_path.empty()) {
    trace_path_ = trace_path;
    trace_temporary_ = util::temporary_name_for(trace_path).string();
    trace_ = std::make_unique<TraceWriter>(trace_temporary_, trace_path);
    std::string header = "sequence,source_index,outcome,captured_ms";
    for (const auto& stage : stages_) {
      header += "," + stage.name + "_queue_ms," + stage.name + "_compute_ms";
    }
    header += ",sink_ms,end_to_end_ms";
    for (const auto& sink : sinks_) header += "," + sink.name + "_outcome";
    trace_->write(header + "\n");
  }
}

RunMetrics::~RunMetrics() {
  if (trace_) {
    trace_.reset();
    abandon_trace();
  }
}

void RunMetrics::abandon_trace() const noexcept {
  if (!trace_temporary_.empty()) std::remove(trace_temporary_.c_str());
}

std::optional<std::string> RunMetrics::take_trace_error() {
  return trace_ ? trace_->take_error() : std::nullopt;
}

std::string RunMetrics::close_trace() {
  if (!trace_) return "";
  const std::string failure = trace_->close();
  const bool complete = failure.empty();
  const bool said = trace_->error_reported();  // stopped the run already
  trace_.reset();
  if (!complete && said) {
    abandon_trace();
    return "";
  }
  std::error_code ec;
  if (complete) std::filesystem::rename(trace_temporary_, trace_path_, ec);
  if (!complete || ec) {
    abandon_trace();
    return "cannot write the trace file '" + trace_path_ +
           "': " + (complete ? ec.message() : "writing failed: " + failure);
  }
  trace_written_ = true;
  return "";
}

void RunMetrics::start() {
  started_ = Clock::now();
}
void RunMetrics::finish() {
  finished_ = Clock::now();
  if (trace_) trace_->flush();
}

double RunMetrics::elapsed_s() const {
  const auto end = finished_ == Clock::time_point{} ? Clock::now() : finished_;
  return std::chrono::duration<double>(end - started_).count();
}

double RunMetrics::fps() const {
  const double seconds = elapsed_s();
  return seconds > 0 ? static_cast<double>(written_) / seconds : 0.0;
}

double RunMetrics::recent_fps() const {
  if (recent_times_.size() < 2) return 0.0;
  const double span =
      std::chrono::duration<double>(recent_times_.back() - recent_times_.front()).count();
  return span > 0 ? static_cast<double>(recent_times_.size() - 1) / span : 0.0;
}

std::int64_t RunMetrics::dropped() const {
  return std::accumulate(drops_.begin(), drops_.end(), std::int64_t{0});
}

void RunMetrics::record(const FrameRecord& frame) {
  ++decoded_;
  const DropReason outcome = frame_outcome(frame);
  for (std::size_t s = 0; s < sinks_.size(); ++s) {
    const DropReason at_sink = outcome_at(frame, s);
    if (at_sink == DropReason::None) {
      ++sinks_[s].written;
    } else {
      ++sinks_[s].drops[static_cast<std::size_t>(at_sink)];
    }
  }
  double end_to_end = 0;
  if (outcome != DropReason::None) {
    ++drops_[static_cast<std::size_t>(outcome)];
  } else {
    ++written_;
    end_to_end = ms_between(frame.captured, frame.sink_finished);
    end_to_end_ms_.add(end_to_end);
    recent_.add(end_to_end);
    recent_times_.push_back(frame.sink_finished);
    if (recent_times_.size() > 60) recent_times_.pop_front();
    sink_ms_.add(ms_between(frame.sink_started, frame.sink_finished));
    for (std::size_t i = 0; i < stages_.size() && i < frame.stage_times.size(); ++i) {
      const auto& t = frame.stage_times[i];
      stages_[i].queue_ms.add(ms_between(t.queued, t.started));
      stages_[i].compute_ms.add(ms_between(t.started, t.finished));
    }
  }
  if (trace_) write_trace_row(frame, outcome, end_to_end);
}

void RunMetrics::write_trace_row(const FrameRecord& frame, DropReason outcome, double end_to_end) {
  const bool written = outcome == DropReason::None;
  std::ostringstream row;
  row << std::fixed << std::setprecision(4) << frame.sequence << "," << frame.source_index << ","
      << (written ? "written" : to_string(outcome)) << "," << ms_between(started_, frame.captured);
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    if (i < frame.stage_times.size() && written) {
      const auto& t = frame.stage_times[i];
      row << "," << ms_between(t.queued, t.started) << "," << ms_between(t.started, t.finished);
    } else {
      row << ",,";
    }
  }
  if (written) {
    row << "," << ms_between(frame.sink_started, frame.sink_finished) << "," << end_to_end;
  } else {
    row << ",,";
  }
  for (std::size_t s = 0; s < sinks_.size(); ++s) {
    const DropReason at_sink = outcome_at(frame, s);
    row << "," << (at_sink == DropReason::None ? "written" : to_string(at_sink));
  }
  row << "\n";
  trace_->write(row.str());
}

void RunMetrics::record_outage(Clock::time_point start, Clock::duration length, double fps) {
  const double start_s = started_ == Clock::time_point{}
                             ? 0.0
                             : std::chrono::duration<double>(start - started_).count();
  outages_.add(start_s, std::chrono::duration<double>(length).count(), fps);
}

void RunMetrics::set_sink_skipped(std::size_t sink, std::int64_t skipped) {
  if (sink < sinks_.size()) sinks_[sink].skipped = skipped;
}

nlohmann::json RunMetrics::report(const nlohmann::json& extra) const {
  nlohmann::json sinks = nlohmann::json::array();
  for (const auto& sink : sinks_) sinks.push_back(sink.to_json());
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& stage : stages_) {
    stages.push_back({{"name", stage.name},
                      {"queue_ms", to_json(stage.queue_ms)},
                      {"compute_ms", to_json(stage.compute_ms)}});
  }
  nlohmann::json report = {
      {"schema", "conveyor.report/2"},
      {"frames",
       {{"decoded", decoded_},
        {"written", written_},
        {"dropped", dropped()},
        {"balanced", decoded_ == written_ + dropped()}}},
      {"drops", drops_json(drops_)},
      {"sinks", sinks},
      {"outages", outages_.to_json()},
      {"elapsed_s", elapsed_s()},
      {"fps", fps()},
      {"latency_ms", {{"end_to_end", to_json(end_to_end_ms_)}, {"sink", to_json(sink_ms_)}}},
      {"latency_exact", latency_exact()},
      {"stages", stages},
      {"source_stalls", stalls_.to_json()},
  };
  report.update(extra);
  return report;
}

std::string RunMetrics::summary_text() const {
  std::ostringstream out;
  const Summary e2e = end_to_end();
  out << std::fixed << std::setprecision(1);
  out << "frames: decoded " << decoded_ << " = written " << written_ << " + dropped " << dropped();
  if (const std::string why = drops_text(drops_); !why.empty()) out << " (" << why << ")";
  out << (decoded_ == written_ + dropped() ? "  [balanced]" : "  [NOT BALANCED]") << "\n";
  for (const auto& sink : sinks_) out << "  " << sink.summary_line() << "\n";
  if (const std::string outages = outages_.summary_line(); !outages.empty()) out << outages << "\n";
  out << "speed: " << fps() << " fps over " << std::setprecision(2) << elapsed_s() << " s\n";
  out << "latency (capture to sink, ms): p50 " << e2e.p50 << "  p99 " << e2e.p99 << "  max "
      << e2e.max;
  if (!latency_exact()) out << "  (percentiles from a histogram, within 0.07 %)";
  if (const std::string stalls = stalls_.summary_line(); !stalls.empty()) out << "\n" << stalls;
  return out.str();
}

}  // namespace conveyor::metrics
