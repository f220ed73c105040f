// The schedule of a paced source (`pace: realtime`): frame n falls due at
// start + n / fps, as a camera would capture it. A capture thread that wakes
// up late (the process was stopped and continued, the machine was overloaded)
// finds several frames due at once. Like a camera's latest-frame slot, only
// the newest goes on: the ones before it are read and superseded
// (live_overwrite), and the time the source was behind is a stall, logged and
// reported. A source too slow to catch up restarts its schedule from the frame
// it caught up to, so it never falls further and further behind.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "conveyor/pipeline/frame.hpp"

namespace conveyor::pipeline {

class PaceClock {
 public:
  // `late_ms`: how late the first superseded frame was read; `frames`: how
  // many frames the stall superseded.
  using StallReport = std::function<void(double late_ms, std::int64_t frames)>;

  PaceClock(double fps, Clock::time_point start, StallReport report);

  Clock::time_point due(std::int64_t index) const;
  void sleep_until_due(std::int64_t index) const;
  // True when at `now` a frame after `index` is already due.
  bool late(std::int64_t index, Clock::time_point now) const { return now >= due(index + 1); }
  // The newest frame due at `now`, at least `index` + 1 (call when late()).
  std::int64_t newest_due(std::int64_t index, Clock::time_point now) const;
  // After a catch-up to frame `index`: when reading it took so long that the
  // next one is due already, frame `index` counts as due `now`.
  void restart_if_late(std::int64_t index, Clock::time_point now);
  // Reports a stall (logged when it is the first or the longest so far).
  void stalled(double late_ms, std::int64_t frames);

 private:
  double fps_;
  Clock::time_point start_;
  StallReport report_;
  double longest_ms_ = 0;  // stalls up to this long were logged
};

}  // namespace conveyor::pipeline
