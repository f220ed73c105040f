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

double ms_between(pipeline::Clock::time_point a, pipeline::Clock::time_point b) {
  if (a == pipeline::Clock::time_point{} || b == pipeline::Clock::time_point{}) return 0.0;
  return std::chrono::duration<double, std::milli>(b - a).count();
}

nlohmann::json to_json(const Summary& s) {
  return {{"count", s.count}, {"mean", s.mean}, {"p50", s.p50}, {"p90", s.p90},
          {"p99", s.p99},     {"p999", s.p999}, {"max", s.max}, {"min", s.min}};
}

}  // namespace

RunMetrics::RunMetrics(std::vector<std::string> stage_names, const std::string& trace_path,
                       std::size_t exact_cap)
    : end_to_end_ms_(exact_cap), sink_ms_(exact_cap) {
  for (auto& name : stage_names) {
    stages_.push_back(
        StageSamples{std::move(name), LatencySamples(exact_cap), LatencySamples(exact_cap)});
  }
  if (!trace_path.empty()) {
    trace_path_ = trace_path;
    trace_temporary_ = util::temporary_name_for(trace_path).string();
    trace_ = std::make_unique<TraceWriter>(trace_temporary_, trace_path);
    std::string header = "sequence,source_index,outcome,captured_ms";
    for (const auto& stage : stages_) {
      header += "," + stage.name + "_queue_ms," + stage.name + "_compute_ms";
    }
    trace_->write(header + ",sink_ms,end_to_end_ms\n");
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
  started_ = pipeline::Clock::now();
}
void RunMetrics::finish() {
  finished_ = pipeline::Clock::now();
  if (trace_) trace_->flush();
}

double RunMetrics::elapsed_s() const {
  const auto end = finished_ == pipeline::Clock::time_point{} ? pipeline::Clock::now() : finished_;
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

void RunMetrics::record(const pipeline::Frame& frame) {
  ++decoded_;
  double end_to_end = 0;
  if (frame.tombstone()) {
    ++drops_[static_cast<std::size_t>(frame.drop)];
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
  if (!trace_) return;
  std::ostringstream row;
  row << std::fixed << std::setprecision(4) << frame.sequence << "," << frame.source_index << ","
      << (frame.tombstone() ? pipeline::to_string(frame.drop) : "written") << ","
      << ms_between(started_, frame.captured);
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    if (i < frame.stage_times.size() && !frame.tombstone()) {
      const auto& t = frame.stage_times[i];
      row << "," << ms_between(t.queued, t.started) << "," << ms_between(t.started, t.finished);
    } else {
      row << ",,";
    }
  }
  if (frame.tombstone()) {
    row << ",,\n";
  } else {
    row << "," << ms_between(frame.sink_started, frame.sink_finished) << "," << end_to_end << "\n";
  }
  trace_->write(row.str());
}

nlohmann::json RunMetrics::report(const nlohmann::json& extra) const {
  nlohmann::json drops = nlohmann::json::object();
  for (int r = 1; r < pipeline::kDropReasonCount; ++r) {
    drops[pipeline::to_string(static_cast<pipeline::DropReason>(r))] =
        drops_[static_cast<std::size_t>(r)];
  }
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& stage : stages_) {
    stages.push_back({{"name", stage.name},
                      {"queue_ms", to_json(stage.queue_ms.summary())},
                      {"compute_ms", to_json(stage.compute_ms.summary())}});
  }
  nlohmann::json report = {
      {"schema", "conveyor.report/1"},
      {"frames",
       {{"decoded", decoded_},
        {"written", written_},
        {"dropped", dropped()},
        {"balanced", decoded_ == written_ + dropped()}}},
      {"drops", drops},
      {"elapsed_s", elapsed_s()},
      {"fps", fps()},
      {"latency_ms",
       {{"end_to_end", to_json(end_to_end_ms_.summary())}, {"sink", to_json(sink_ms_.summary())}}},
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
  if (dropped() > 0) {
    out << " (";
    bool first = true;
    for (int r = 1; r < pipeline::kDropReasonCount; ++r) {
      const auto count = drops_[static_cast<std::size_t>(r)];
      if (count == 0) continue;
      out << (first ? "" : ", ") << pipeline::to_string(static_cast<pipeline::DropReason>(r)) << " "
          << count;
      first = false;
    }
    out << ")";
  }
  out << (decoded_ == written_ + dropped() ? "  [balanced]" : "  [NOT BALANCED]") << "\n";
  out << "speed: " << fps() << " fps over " << std::setprecision(2) << elapsed_s() << " s\n";
  out << "latency (capture to sink, ms): p50 " << e2e.p50 << "  p99 " << e2e.p99 << "  max "
      << e2e.max;
  if (!latency_exact()) out << "  (percentiles from a histogram, within 0.07 %)";
  if (const std::string stalls = stalls_.summary_line(); !stalls.empty()) out << "\n" << stalls;
  return out.str();
}

}  // namespace conveyor::metrics
