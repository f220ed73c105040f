// Stalls of a paced source: times the capture fell at least one frame period
// behind its schedule (the process was stopped, e.g. SIGSTOP / SIGCONT, or the
// machine was overloaded). The frames that fell due meanwhile are dropped as
// live_overwrite; this records how long and how often the source was late.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace conveyor::metrics {

struct SourceStalls {
  std::int64_t count = 0;   // stalls
  std::int64_t frames = 0;  // frames that fell due during them (live_overwrite)
  double max_ms = 0;        // the longest: how late the first frame due in it was
  double total_ms = 0;

  void add(double late_ms, std::int64_t overwritten) {
    ++count;
    frames += overwritten;
    max_ms = late_ms > max_ms ? late_ms : max_ms;
    total_ms += late_ms;
  }
  nlohmann::json to_json() const {
    return {{"count", count}, {"frames", frames}, {"max_ms", max_ms}, {"total_ms", total_ms}};
  }
  // "" when the source never stalled.
  std::string summary_line() const;
};

}  // namespace conveyor::metrics
