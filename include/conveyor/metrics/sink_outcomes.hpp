// What became of the frames at each sink (docs/metrics.md, "What becomes of a
// frame"): for every sink, decoded = written + dropped. A frame dropped before
// the sinks counts against every sink with its own reason; a frame one sink
// refused counts as writer_reject against that sink only and as written for
// the sinks that accepted it. `skipped` frames were accepted (they are in
// `written`) but that sink's viewer never saw them (a slow or paused viewer):
// the viewer's own count, never a drop.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "conveyor/metrics/frame_record.hpp"

namespace conveyor::metrics {

struct SinkOutcome {
  std::string name;
  std::int64_t written = 0;
  std::array<std::int64_t, kDropReasonCount> drops{};  // by DropReason
  std::int64_t skipped = 0;

  std::int64_t dropped() const;
  // {"name", "written", "dropped", "drops": {reason: count, ...}, "skipped"}
  nlohmann::json to_json() const;
  // "sink 'video': written 10 + dropped 2 (writer_reject 2), skipped 1"
  std::string summary_line() const;
};

// The "(decode_gap 1, writer_reject 2)" of a summary line; "" when none.
std::string drops_text(const std::array<std::int64_t, kDropReasonCount>& drops);
// {"decode_gap": n, ...}: every reason but None, in enum order.
nlohmann::json drops_json(const std::array<std::int64_t, kDropReasonCount>& drops);

// The outcome of `record` at sink `s`: None (written) or why not.
DropReason outcome_at(const FrameRecord& record, std::size_t s);
// The frame's own outcome: its drop reason, or writer_reject when a sink
// refused a frame that carries no reason of its own.
DropReason frame_outcome(const FrameRecord& record);

}  // namespace conveyor::metrics
