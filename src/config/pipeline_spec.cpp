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

const NameTable<ColorMode>& color_names() {
  static const NameTable<ColorMode> table = {{"gray", ColorMode::Gray}, {"bgr", ColorMode::Bgr}};
  return table;
}

const NameTable<Pace>& pace_names() {
  static const NameTable<Pace> table = {{"none", Pace::None}, {"realtime", Pace::Realtime}};
  return table;
}

const NameTable<RunMode>& run_mode_names() {
  static const NameTable<RunMode> table = {{"latency", RunMode::Latency},
                                           {"throughput", RunMode::Throughput}};
  return table;
}

std::vector<std::string> sink_input_maps(const PipelineSpec& spec, std::size_t sink) {
  if (sink >= spec.sinks.size()) return {};
  const MapRef& ref = spec.sinks[sink].map;
  if (ref.stage < 0) return {"source"};
  if (static_cast<std::size_t>(ref.stage) >= spec.stages.size()) return {};
  const StageSpec& stage = spec.stages[static_cast<std::size_t>(ref.stage)];
  if (ref.filter >= 0) {
    if (static_cast<std::size_t>(ref.filter) >= stage.map_names.size()) return {};
    return {stage.map_names[static_cast<std::size_t>(ref.filter)]};
  }
  if (!stage.single_output) return stage.map_names;
  return {stage.map_names.size() == 1 ? stage.map_names.front() : stage.name};
}

std::string to_string(ColorMode color) {
  return name_of(color_names(), color);
}

std::string to_string(Pace pace) {
  return name_of(pace_names(), pace);
}

std::string to_string(RunMode mode) {
  return name_of(run_mode_names(), mode);
}

}  // namespace conveyor::config
