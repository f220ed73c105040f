#include "conveyor/metrics/source_stalls.hpp"

#include <spdlog/fmt/fmt.h>

namespace conveyor::metrics {

std::string SourceStalls::summary_line() const {
  if (count == 0) return {};
  return fmt::format(
      "stalls: the paced source fell behind its schedule {} time(s), longest {:.1f} ms, "
      "{:.1f} ms in all; {} frame(s) due meanwhile dropped as live_overwrite",
      count, max_ms, total_ms, frames);
}

}  // namespace conveyor::metrics
