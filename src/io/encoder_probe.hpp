// Opening an encoder on a probe before the first frame, for the sinks'
// SinkDescriptor::probe: each returns the encoder's reason for refusing,
// or an empty string.
#pragma once

#include <cstddef>
#include <string>

#include "conveyor/config/sink_geometry.hpp"

namespace conveyor::io {

// FFmpeg's encoder and muxer for `extension` (".mkv") and `fourcc`, fed one
// blank frame of `input`'s size on a temporary file that is then removed.
// `index` keeps the probes of several sinks apart.
std::string probe_video_encoder(const std::string& extension, const std::string& fourcc, double fps,
                                const config::SinkInput& input, std::size_t index);

// OpenCV's image encoder for `extension` (".png"), on one blank image.
std::string probe_image_encoder(const std::string& extension, const config::SinkInput& input);

}  // namespace conveyor::io
