// Picks, for each sink, the image it takes from a processed frame.
#pragma once

#include <opencv2/core.hpp>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/pipeline/frame.hpp"

namespace conveyor::pipeline {

// The captured frame (stage -1), a stage's output, or one of its named maps.
// A stage that keeps several maps gives a labelled mosaic of them.
cv::Mat select_image(const Frame& frame, const config::MapRef& ref,
                     const std::vector<config::StageSpec>& stages);

// What the sinks and the next stage take of `stage`: its named maps, its
// views (a window).
config::StageNeeds stage_needs(const config::PipelineSpec& spec, std::size_t stage);

}  // namespace conveyor::pipeline
