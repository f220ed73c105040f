// Warnings that can repeat once per frame (a stage failing, a sink refusing
// frames, undecodable input) are logged through one rate limiter: the first
// message of each kind is logged at once, later ones of that kind are only
// counted, and a line "... and 264 more: <kind>" says how many were held back
// (every 10 s while they keep coming, and when the run ends).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace conveyor::util {

class RateLimitedLog {
 public:
  explicit RateLimitedLog(std::chrono::steady_clock::duration interval = std::chrono::seconds(10))
      : interval_(interval) {}

  // `kind` groups messages that are the same problem ("writer_reject sink 'file'").
  void warn(const std::string& kind, const std::string& message);
  // Logs the count of every kind still held back; the next message of a kind
  // is logged again. Called at the end of a run.
  void flush();
  // Messages of `kind` held back so far (since the last flush).
  std::int64_t suppressed(const std::string& kind) const;

 private:
  struct Entry {
    std::int64_t held = 0;  // counted, not logged
    std::chrono::steady_clock::time_point last_logged{};
  };
  std::chrono::steady_clock::duration interval_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> kinds_;
};

// The one limiter every per-frame warning goes through.
RateLimitedLog& frame_warnings();

}  // namespace conveyor::util
