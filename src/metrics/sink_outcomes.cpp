#include "conveyor/metrics/sink_outcomes.hpp"

#include <algorithm>
#include <numeric>

namespace conveyor::metrics {

std::int64_t SinkOutcome::dropped() const {
  return std::accumulate(drops.begin(), drops.end(), std::int64_t{0});
}

nlohmann::json SinkOutcome::to_json() const {
  return {{"name", name},
          {"written", written},
          {"dropped", dropped()},
          {"drops", drops_json(drops)},
          {"skipped", skipped}};
}

std::string SinkOutcome::summary_line() const {
  std::string line = "sink '" + name + "': written " + std::to_string(written) + " + dropped " +
                     std::to_string(dropped());
  if (const std::string why = drops_text(drops); !why.empty()) line += " (" + why + ")";
  if (skipped > 0) line += ", skipped by the viewer " + std::to_string(skipped);
  return line;
}

std::string drops_text(const std::array<std::int64_t, kDropReasonCount>& drops) {
  std::string text;
  for (int r = 1; r < kDropReasonCount; ++r) {
    const auto count = drops[static_cast<std::size_t>(r)];
    if (count == 0) continue;
    text += (text.empty() ? "" : ", ") + std::string(to_string(static_cast<DropReason>(r))) + " " +
            std::to_string(count);
  }
  return text;
}

nlohmann::json drops_json(const std::array<std::int64_t, kDropReasonCount>& drops) {
  nlohmann::json json = nlohmann::json::object();
  for (int r = 1; r < kDropReasonCount; ++r) {
    json[to_string(static_cast<DropReason>(r))] = drops[static_cast<std::size_t>(r)];
  }
  return json;
}

DropReason outcome_at(const FrameRecord& record, std::size_t s) {
  if (record.drop != DropReason::None && record.drop != DropReason::WriterReject)
    return record.drop;  // never reached the sinks
  if (s < record.sinks.size()) return record.sinks[s];
  // A refused frame that says nothing per sink: against every sink.
  return record.drop;
}

DropReason frame_outcome(const FrameRecord& record) {
  if (record.drop != DropReason::None) return record.drop;
  const bool refused = std::any_of(record.sinks.begin(), record.sinks.end(),
                                   [](DropReason r) { return r != DropReason::None; });
  return refused ? DropReason::WriterReject : DropReason::None;
}

}  // namespace conveyor::metrics
