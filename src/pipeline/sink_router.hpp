// Picks, for each sink, the image it takes from a processed frame.
#pragma once

#include <opencv2/core.hpp>

#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/pipeline/frame.hpp"

namespace conveyor::pipeline {

// The captured frame (stage -1), a stage's output, or one feature map. A
// stage whose bank keeps several maps gives a labelled mosaic of them.
cv::Mat select_image(const Frame& frame, const config::MapRef& ref,
                     const std::vector<config::StageSpec>& stages);

// True when some sink reads individual feature maps of `stage`.
bool sinks_need_maps(const std::vector<config::SinkSpec>& sinks, int stage);

}  // namespace conveyor::pipeline
