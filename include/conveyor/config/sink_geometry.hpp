// What each sink receives: the size, channels and depth of its image for a
// given first-frame size. `validate` and `run` probe the sinks' encoders
// with it; `--watch` refuses an edit that would change it.
#pragma once

#include <string>
#include <vector>

#include "conveyor/config/pipeline_spec.hpp"

namespace conveyor::config {

using SinkInput = MapShape;

// One entry per sink, in order, for a first frame of width x height. The
// sizes must have passed check_geometry. A null sink gets no image: {0, 0}.
std::vector<SinkInput> sink_inputs(const PipelineSpec& spec, int width, int height);

}  // namespace conveyor::config
