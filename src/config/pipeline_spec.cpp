// Small methods of the spec structs and the names they print with.
#include "conveyor/config/pipeline_spec.hpp"

#include "conveyor/config/node_registry.hpp"

namespace conveyor::config {

bool SourceSpec::is_live() const {
  return params && params->live();
}

std::optional<conv::MapSize> SourceSpec::known_size() const {
  return params ? params->known_size() : std::nullopt;
}

double SourceSpec::nominal_fps() const {
  return params ? params->nominal_fps() : 0;
}

int StageSpec::map_index(const std::string& map_name) const {
  for (std::size_t i = 0; i < map_names.size(); ++i) {
    if (map_names[i] == map_name) return static_cast<int>(i);
  }
  return -1;
}

std::string MapShape::str() const {
  return std::to_string(width) + "x" + std::to_string(height) + ", " + std::to_string(channels) +
         (channels == 1 ? " channel, " : " channels, ") + (is_float ? "32-bit float" : "8-bit");
}

std::string to_string(ColorMode color) {
  return color == ColorMode::Bgr ? "bgr" : "gray";
}

std::string to_string(RunMode mode) {
  return mode == RunMode::Throughput ? "throughput" : "latency";
}

}  // namespace conveyor::config
