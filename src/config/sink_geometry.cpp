// The image each sink takes (pipeline::select_image): the captured frame, a
// stage's output or one feature map after `post`, or the labelled 8-bit BGR
// mosaic of a stage that keeps several maps.
#include "conveyor/config/sink_geometry.hpp"

#include <algorithm>
#include <cmath>

#include "conveyor/config/node_registry.hpp"

namespace conveyor::config {
namespace {

// post_process in the convolve stage: 8-bit once any normalize or to_u8 applies.
bool post_gives_u8(const StageSpec& stage) {
  return stage.post && (stage.post->to_u8 || stage.post->normalize != Normalize::None);
}

SinkInput mosaic_of(const std::vector<conv::MapSize>& maps) {
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

std::string SinkInput::str() const {
  return std::to_string(width) + "x" + std::to_string(height) + ", " + std::to_string(channels) +
         (channels == 1 ? " channel, " : " channels, ") + (is_float ? "32-bit float" : "8-bit");
}

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
      const auto s = static_cast<std::size_t>(ref.stage);
      const StageSpec& stage = spec.stages.at(s);
      const int channels = stage.color == ColorMode::Bgr ? 3 : 1;
      const StageGeometry& g = geometry.at(s);
      if (ref.filter >= 0) {
        const conv::MapSize& map = g.maps.at(static_cast<std::size_t>(ref.filter));
        result.push_back({map.width, map.height, channels, !post_gives_u8(stage)});
      } else if (stage.single_output()) {
        result.push_back({g.output.width, g.output.height, channels, !post_gives_u8(stage)});
      } else {
        result.push_back(mosaic_of(g.maps));
      }
    }
  }
  return result;
}

}  // namespace conveyor::config
