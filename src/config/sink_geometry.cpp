// The image each sink takes (pipeline::select_image): the captured frame, a
// stage's output or one feature map after `post`, or the labelled 8-bit BGR
// mosaic of a stage that keeps several maps.
#include "conveyor/config/sink_geometry.hpp"

#include <algorithm>
#include <cmath>

#include "conveyor/config/node_registry.hpp"

namespace conveyor::config {
namespace {

SinkInput mosaic_of(const std::vector<MapShape>& maps) {
  const auto count = static_cast<int>(maps.size());
  const int columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count))));
  const int rows = (count + columns - 1) / columns;
  int cell_w = 0;
  int cell_h = 0;
  for (const auto& map : maps) {
    cell_w = std::max(cell_w, map.width);
    cell_h = std::max(cell_h, map.height);
  }
  return {columns * cell_w, rows * cell_h, 3, false};
}

}  // namespace

std::vector<SinkInput> sink_inputs(const PipelineSpec& spec, int width, int height) {
  const std::vector<StageGeometry> geometry = check_geometry(spec, width, height);
  std::vector<SinkInput> result;
  for (const SinkSpec& sink : spec.sinks) {
    const MapRef& ref = sink.map;
    if (!sink.node->reads_images) {
      result.push_back({});
    } else if (ref.stage < 0) {
      result.push_back({width, height, spec.source.color == ColorMode::Bgr ? 3 : 1, false});
    } else {
      const StageGeometry& g = geometry.at(static_cast<std::size_t>(ref.stage));
      if (ref.filter >= 0) {
        result.push_back(g.maps.at(static_cast<std::size_t>(ref.filter)));
      } else if (g.output) {
        result.push_back(*g.output);
      } else {
        result.push_back(mosaic_of(g.maps));
      }
    }
  }
  return result;
}

}  // namespace conveyor::config
