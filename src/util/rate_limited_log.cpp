#include "conveyor/util/rate_limited_log.hpp"

#include <spdlog/spdlog.h>

namespace conveyor::util {

void RateLimitedLog::warn(const std::string& kind, const std::string& message) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  auto [it, first] = kinds_.try_emplace(kind);
  Entry& entry = it->second;
  if (first) {
    entry.last_logged = now;
    spdlog::warn("{}", message);
    return;
  }
  ++entry.held;
  if (now - entry.last_logged < interval_) return;
  spdlog::warn("{} (and {} more like it)", message, entry.held - 1);
  entry.held = 0;
  entry.last_logged = now;
}

void RateLimitedLog::flush() {
  std::lock_guard lock(mutex_);
  for (const auto& [kind, entry] : kinds_) {
    if (entry.held > 0) spdlog::warn("... and {} more: {}", entry.held, kind);
  }
  kinds_.clear();
}

std::int64_t RateLimitedLog::suppressed(const std::string& kind) const {
  std::lock_guard lock(mutex_);
  const auto it = kinds_.find(kind);
  return it == kinds_.end() ? 0 : it->second.held;
}

RateLimitedLog& frame_warnings() {
  static RateLimitedLog log;
  return log;
}

}  // namespace conveyor::util
