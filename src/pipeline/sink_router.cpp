#include "sink_router.hpp"

#include "conveyor/pipeline/mosaic.hpp"

namespace conveyor::pipeline {

config::StageNeeds stage_needs(const config::PipelineSpec& spec, std::size_t stage) {
  const config::StageSpec& self = spec.stages[stage];
  config::StageNeeds needs;
  for (const auto& sink : spec.sinks) {
    if (sink.map.stage != static_cast<int>(stage)) continue;
    needs.maps = needs.maps || sink.map.filter >= 0;  // one named map
    // A sink that looks at images takes the mosaic of a stage that keeps several maps.
    needs.maps = needs.maps || (sink.node->reads_images && !self.single_output);
    needs.views = needs.views || sink.node->takes_views;
  }
  // The next stage takes every map of one that keeps several.
  if (stage + 1 < spec.stages.size() && !self.single_output) needs.maps = true;
  return needs;
}

cv::Mat select_image(const Frame& frame, const config::MapRef& ref,
                     const std::vector<config::StageSpec>& stages) {
  if (ref.stage < 0) return frame.image;
  const StageOutput& out = frame.stages.at(static_cast<std::size_t>(ref.stage));
  if (ref.filter >= 0) return out.maps.at(static_cast<std::size_t>(ref.filter));
  if (!out.output.empty()) return out.output;
  return mosaic(out.maps, stages[static_cast<std::size_t>(ref.stage)].map_names);
}

}  // namespace conveyor::pipeline
