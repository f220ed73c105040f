#include "conveyor/metrics/source_outages.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>

namespace conveyor::metrics {

void SourceOutages::add(double start_s, double length_s, double fps) {
  Outage outage;
  outage.start_s = std::max(0.0, start_s);
  outage.length_s = std::max(0.0, length_s);
  if (std::isfinite(fps) && fps > 0 && std::isfinite(outage.length_s)) {
    // The frame after the outage came: the ones between are missing.
    outage.frames_missed = std::max<std::int64_t>(0, std::llround(outage.length_s * fps) - 1);
  }
  outages_.push_back(outage);
}

std::int64_t SourceOutages::frames_missed() const {
  std::int64_t total = 0;
  for (const auto& outage : outages_) total += outage.frames_missed;
  return total;
}

nlohmann::json SourceOutages::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& outage : outages_) {
    list.push_back({{"start_s", outage.start_s},
                    {"length_s", outage.length_s},
                    {"frames_missed", outage.frames_missed}});
  }
  return list;
}

std::string SourceOutages::summary_line() const {
  if (outages_.empty()) return {};
  double total = 0;
  for (const auto& outage : outages_) total += outage.length_s;
  const Outage& first = outages_.front();
  return fmt::format(
      "outages: the source gave no frames {} time(s), {:.2f} s in all, about {} frame(s) "
      "missed (not decoded, so not in the balance); the first at {:.2f} s for {:.2f} s",
      outages_.size(), total, frames_missed(), first.start_s, first.length_s);
}

}  // namespace conveyor::metrics
