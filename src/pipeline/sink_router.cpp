#include "sink_router.hpp"

#include "conveyor/pipeline/mosaic.hpp"
#include "convolve_stage.hpp"

namespace conveyor::pipeline {

bool sinks_need_maps(const std::vector<config::SinkSpec>& sinks, int stage) {
  for (const auto& sink : sinks) {
    if (sink.map.stage == stage && sink.map.filter >= 0) return true;
  }
  return false;
}

cv::Mat select_image(const Frame& frame, const config::MapRef& ref,
                     const std::vector<config::StageSpec>& stages) {
  if (ref.stage < 0) return frame.image;
  const StageOutput& out = frame.stages.at(static_cast<std::size_t>(ref.stage));
  if (ref.filter >= 0) return out.map_images.at(static_cast<std::size_t>(ref.filter));
  if (!out.output.empty()) return out.output;
  std::vector<std::string> labels;
  for (const auto& filter : stages[static_cast<std::size_t>(ref.stage)].bank) {
    labels.push_back(filter.name);
  }
  return mosaic(out.map_images, labels);
}

}  // namespace conveyor::pipeline
