// The stage contract for stages that treat each map of their input alike
// (node_registry.hpp, PerMapParams).
#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/yaml_reader.hpp"

namespace conveyor::config {

StageMaps PerMapParams::maps(const StageMaps& input) const {
  return input.single ? StageMaps{} : StageMaps{input.names, false};
}

StageGeometry PerMapParams::geometry(Context& ctx, const StageSpec& stage, const std::string& path,
                                     const StageGeometry& input, bool exact) const {
  StageGeometry geometry;
  geometry.inputs = input.output ? std::vector<MapShape>{*input.output} : input.maps;
  for (const MapShape& in : geometry.inputs) {
    if (in.width <= 0 || in.height <= 0) return {};  // an earlier stage's probe left nothing
    const MapShape out = shape_for(in);
    if (out.width <= 0 || out.height <= 0) {
      if (exact) {
        ctx.error(stage.where.mark,
                  path + ": " + stage.type + " '" + stage.name + "' (" + describe() +
                      ") leaves an empty " + std::to_string(out.width) + "x" +
                      std::to_string(out.height) + " map for its " + std::to_string(in.width) +
                      "x" + std::to_string(in.height) + " input; expected " + fit_hint());
      }
      return {};
    }
    if (input.output) {
      geometry.output = out;
    } else {
      geometry.maps.push_back(out);
    }
  }
  return geometry;
}

}  // namespace conveyor::config
