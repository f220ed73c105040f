// Everything measured during a run: per-frame outcomes and timestamps, turned
// into the summary line, the JSON report (schema in docs/metrics.md) and the
// per-frame CSV trace. It knows frames only as plain records (FrameRecord):
// nothing of the pipeline that made them.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "conveyor/metrics/frame_record.hpp"
#include "conveyor/metrics/latency_samples.hpp"
#include "conveyor/metrics/latency_stats.hpp"
#include "conveyor/metrics/sink_outcomes.hpp"
#include "conveyor/metrics/source_outages.hpp"
#include "conveyor/metrics/source_stalls.hpp"

namespace conveyor::metrics {

class TraceWriter;

// The trace cannot be created (its folder or the file): an output error.
class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct StageSamples {
  std::string name;
  LatencySamples queue_ms;    // waiting before a worker took the frame
  LatencySamples compute_ms;  // the stage's own work
};

class RunMetrics {
 public:
  // `exact_cap`: samples kept exactly per series before percentiles come
  // from a histogram (LatencySamples), so hours-long live runs stay bounded.
  // `sink_names`: one per sink, in pipeline order (per-sink outcomes).
  // Throws TraceError naming the trace and the reason when the trace cannot
  // be created.
  //
  // The trace is written to a temporary name beside `trace_path`
  // (util::temporary_name_for) and moved there by close_trace(): a run that
  // ends any other way never leaves a partial or empty trace at the path.
  RunMetrics(std::vector<std::string> stage_names, std::vector<std::string> sink_names,
             const std::string& trace_path,
             std::size_t exact_cap = LatencySamples::kDefaultExactCap);
  ~RunMetrics();  // removes an unfinished trace's temporary file
  RunMetrics(const RunMetrics&) = delete;
  RunMetrics& operator=(const RunMetrics&) = delete;

  // Called once per frame, in frame order, after the sinks (or as a tombstone):
  // every decoded frame, dropped ones too, so each has its row in the trace.
  void record(const FrameRecord& frame);

  // Frames that never existed: a live source gave none from `start` for
  // `length` (a camera reconnecting); `fps` estimates the frames missed.
  // Not decoded, so not in the balance: reported beside it as outages.
  void record_outage(Clock::time_point start, Clock::duration length, double fps);
  const SourceOutages& outages() const { return outages_; }
  // Frames sink `sink` accepted but its viewer never saw (its own count).
  void set_sink_skipped(std::size_t sink, std::int64_t skipped);
  const std::vector<SinkOutcome>& sinks() const { return sinks_; }

  // A paced source fell `late_ms` behind its schedule; `overwritten` frames
  // that fell due meanwhile were recorded as live_overwrite.
  void record_stall(double late_ms, std::int64_t overwritten) { stalls_.add(late_ms, overwritten); }
  const SourceStalls& stalls() const { return stalls_; }

  void start();   // the run's first moment
  void finish();  // the run's last moment
  // The trace's first write failure (a full disk ...), reported once.
  std::optional<std::string> take_trace_error();

  // Completes the trace and moves it into place. Returns "" on success (or
  // when there is no trace, or its failure was already given by
  // take_trace_error()), else why it failed; the temporary is then removed.
  std::string close_trace();
  // True once close_trace() put the trace at its path.
  bool trace_written() const { return trace_written_; }
  // For an emergency exit from another thread: removes the trace's
  // temporary file. Only unlinks a fixed path; never throws.
  void abandon_trace() const noexcept;

  std::int64_t decoded() const { return decoded_; }
  std::int64_t written() const { return written_; }
  std::int64_t dropped() const;
  std::int64_t dropped(DropReason reason) const { return drops_[static_cast<std::size_t>(reason)]; }
  double elapsed_s() const;
  double fps() const;
  Summary end_to_end() const { return end_to_end_ms_.summary(); }
  // False once the run wrote more frames than the exact cap.
  bool latency_exact() const { return end_to_end_ms_.exact(); }
  const SlidingWindow& recent() const { return recent_; }
  // Frames per second over the last frames written (the overlay's figure).
  double recent_fps() const;

  // The JSON report; `extra` is merged in (pipeline name, outputs, exit status).
  nlohmann::json report(const nlohmann::json& extra) const;
  // Summary lines for the terminal.
  std::string summary_text() const;

 private:
  void write_trace_row(const FrameRecord& frame, DropReason outcome, double end_to_end);

  std::vector<StageSamples> stages_;
  std::vector<SinkOutcome> sinks_;
  SourceOutages outages_;
  LatencySamples end_to_end_ms_;
  LatencySamples sink_ms_;
  SlidingWindow recent_;
  std::deque<Clock::time_point> recent_times_;
  std::array<std::int64_t, kDropReasonCount> drops_{};
  SourceStalls stalls_;
  std::int64_t decoded_ = 0;
  std::int64_t written_ = 0;
  Clock::time_point started_{};
  Clock::time_point finished_{};
  std::unique_ptr<TraceWriter> trace_;
  std::string trace_path_;
  std::string trace_temporary_;  // fixed once constructed
  bool trace_written_ = false;
};

}  // namespace conveyor::metrics
