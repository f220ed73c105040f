// What metrics know of one frame: a plain record of its numbers, its outcome
// and its timestamps, built by the pipeline from its own frame when the frame
// leaves the graph. The outcome model (docs/metrics.md, "What becomes of a
// frame"): every decoded frame is written or dropped with one reason; each
// sink has its own outcome for the frame.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace conveyor::metrics {

using Clock = std::chrono::steady_clock;

// Why a frame did not reach the sinks, or why one sink does not have it.
// Every frame gets exactly one outcome: written, or dropped with one of these.
enum class DropReason {
  None,
  DecodeGap,        // the source could not decode this frame
  FilterError,      // a stage threw while processing it
  WriterReject,     // a sink refused it (size, type, I/O)
  LiveOverwrite,    // a newer live frame replaced it before processing
  ShutdownDiscard,  // still queued when the run was stopped
};
inline constexpr int kDropReasonCount = 6;
// "decode_gap", "filter_error" ... as in the report and the trace ("none" for None).
const char* to_string(DropReason reason);

struct StageTimes {
  Clock::time_point queued{};    // entered the stage's queue
  Clock::time_point started{};   // a worker began it
  Clock::time_point finished{};  // results ready
};

struct FrameRecord {
  std::int64_t sequence = 0;      // 0, 1, 2 ... in capture order
  std::int64_t source_index = 0;  // the frame's number in the source
  // None: every sink that takes the frame accepted it (written). Else the
  // reason it was dropped; WriterReject when at least one sink refused it.
  DropReason drop = DropReason::None;
  Clock::time_point captured{};
  std::vector<StageTimes> stage_times;  // one per stage
  Clock::time_point sink_started{};
  Clock::time_point sink_finished{};
  // One per sink when the frame reached the sinks: None where the sink
  // accepted it, WriterReject where it refused it (or had failed for good).
  // Empty when the frame was dropped before the sinks: every sink then counts
  // the frame's own reason.
  std::vector<DropReason> sinks;
};

}  // namespace conveyor::metrics
