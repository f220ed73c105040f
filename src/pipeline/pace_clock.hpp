// The schedule of a paced source (`pace: realtime`): frame n falls due at
// start + n / fps, as a camera would capture it. A capture thread that wakes
// up late (the process was stopped and continued, the machine was overloaded)
// finds several frames due at once. Like a camera's latest-frame slot, only
// the newest goes on: the ones before it are read and superseded
// (live_overwrite), and the time the source was behind is a stall, logged and
// reported. A source merely slower than its fps (its reads take longer than a
// frame period) is not stalled: its schedule restarts at each late frame, so it
// delivers every frame at its own rate and never falls further behind.
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
  // Records how long an ordinary read took (see stalled_or_slow).
  void read_took(Clock::time_point wake, Clock::time_point done);

  Clock::time_point due(std::int64_t index) const;
  void sleep_until_due(std::int64_t index) const;
  // True when at `now` a frame after `index` is already due.
  bool late(std::int64_t index, Clock::time_point now) const { return now >= due(index + 1); }
  // The newest frame due at `now`, at least `index` + 1 (call when late()).
  std::int64_t newest_due(std::int64_t index, Clock::time_point now) const;
  // After a catch-up to frame `index`: when reading it took so long that the
  // next one is due already, frame `index` counts as due `now`.
  void restart_if_late(std::int64_t index, Clock::time_point now);
  // Frame `index` was read from `wake` to `done` and the next one is due
  // already. True when the thread could not run: it woke up late (a stall
  // while it slept), or the read took far longer than reads usually do (a
  // stall inside it). False when the source is merely slower than its fps:
  // then the schedule restarts with the next frame due at `done`, so a slow
  // source delivers every frame at its own rate.
  bool stalled_or_slow(std::int64_t index, Clock::time_point wake, Clock::time_point done);
  // Reports a stall (logged when it is the first or the longest so far).
  void stalled(double late_ms, std::int64_t frames);

 private:
  double fps_;
  Clock::time_point start_;
  StallReport report_;
  double longest_ms_ = 0;       // stalls up to this long were logged
  double typical_read_s_ = -1;  // running mean of ordinary reads; < 0: none yet
};

}  // namespace conveyor::pipeline
