#include "pace_clock.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <thread>

namespace conveyor::pipeline {
namespace {

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

PaceClock::PaceClock(double fps, Clock::time_point start, StallReport report)
    : fps_(fps), start_(start), report_(std::move(report)) {}

Clock::time_point PaceClock::due(std::int64_t index) const {
  return start_ + seconds(static_cast<double>(index) / fps_);
}

void PaceClock::sleep_until_due(std::int64_t index) const {
  std::this_thread::sleep_until(due(index));
}

std::int64_t PaceClock::newest_due(std::int64_t index, Clock::time_point now) const {
  const double since = std::chrono::duration<double>(now - start_).count();
  return std::max(index + 1, static_cast<std::int64_t>(std::floor(since * fps_)));
}

void PaceClock::restart_if_late(std::int64_t index, Clock::time_point now) {
  if (late(index, now)) start_ = now - seconds(static_cast<double>(index) / fps_);
}

void PaceClock::read_took(Clock::time_point wake, Clock::time_point done) {
  const double took = std::chrono::duration<double>(done - wake).count();
  typical_read_s_ = typical_read_s_ < 0 ? took : 0.9 * typical_read_s_ + 0.1 * took;
}

bool PaceClock::stalled_or_slow(std::int64_t index, Clock::time_point wake,
                                Clock::time_point done) {
  if (late(index, wake)) return true;
  const double took = std::chrono::duration<double>(done - wake).count();
  if (typical_read_s_ >= 0 && took > 2.0 / fps_ && took > 4 * typical_read_s_) return true;
  read_took(wake, done);
  start_ = done - seconds(static_cast<double>(index + 1) / fps_);  // next frame due now
  return false;
}

void PaceClock::stalled(double late_ms, std::int64_t frames) {
  if (late_ms > longest_ms_) {
    longest_ms_ = late_ms;
    spdlog::warn(
        "the paced source fell {:.0f} ms behind its {:g} fps schedule (the process was stopped "
        "or the machine overloaded): {} frame(s) due meanwhile were dropped as live_overwrite, "
        "the newest went on",
        late_ms, fps_, frames);
  }
  if (report_) report_(late_ms, frames);
}

}  // namespace conveyor::pipeline
