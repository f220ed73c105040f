// The stages' geometry checked against the first frame's real size.
#pragma once

#include "run_state.hpp"

namespace conveyor::pipeline {

// On the first frame with an image: check_geometry for its size. When a stage
// cannot take it, the run fails with exit 2 (the PipelineError's positions in
// the message), the frame becomes a filter_error tombstone and the source
// stops; sinks never see a frame, so no output is left.
void check_first_frame(RunState& state, Frame& frame);

}  // namespace conveyor::pipeline
