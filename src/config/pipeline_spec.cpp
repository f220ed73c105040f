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

bool StageSpec::single_output() const {
  if (combine) return combine->op != conv::CombineOp::Stack || combine->inputs.size() == 1;
  return bank.size() == 1;
}

int StageSpec::filter_index(const std::string& filter_name) const {
  for (std::size_t i = 0; i < bank.size(); ++i) {
    if (bank[i].name == filter_name) return static_cast<int>(i);
  }
  return -1;
}

std::string to_string(ColorMode color) {
  return color == ColorMode::Bgr ? "bgr" : "gray";
}

std::string to_string(Normalize normalize) {
  switch (normalize) {
    case Normalize::None:
      return "none";
    case Normalize::AbsScale:
      return "abs_scale";
    case Normalize::Clamp:
      return "clamp";
    case Normalize::MinMax:
      return "minmax";
  }
  return "?";
}

std::string to_string(RunMode mode) {
  return mode == RunMode::Throughput ? "throughput" : "latency";
}

}  // namespace conveyor::config
