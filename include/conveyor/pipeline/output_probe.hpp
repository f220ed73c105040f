// `validate` knows what `run` will do: before the first frame, every file
// sink's real encoder and container are opened on a temporary file (then
// removed) and fed one frame, and every images sink's encoder encodes one
// picture, with the size, channels and depth the sink will receive.
#pragma once

#include <optional>

#include "conveyor/config/pipeline_spec.hpp"

namespace conveyor::pipeline {

// The probe size when the first frame's size is unknown until run time: QCIF,
// a size every encoder that takes fixed sizes accepts. With it only the codec
// and the container are checked; the size is checked again at the first frame.
inline constexpr conv::MapSize kProbeSizeUnknown{176, 144};

// Throws config::PipelineError (exit 2) at the sink's key, naming the value
// (fourcc, path or pattern), the encoder's reason and what was expected.
// `size`: the first frame's size when known.
void probe_outputs(const config::PipelineSpec& spec, std::optional<conv::MapSize> size);

}  // namespace conveyor::pipeline
