// The `maps` sink's parameters, for `conveyor apply`, which builds its
// pipeline in code rather than from YAML.
#pragma once

#include <string>
#include <vector>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/conv/post.hpp"

namespace conveyor::sinks {

struct MapFilesParams final : config::SinkParams {
  std::string path;                       // .tif/.tiff, .png/.jpg/.jpeg/.bmp or .txt/.csv
  conv::ToU8 to_u8 = conv::ToU8::MinMax;  // float maps into 8-bit pictures

  // The file itself and, for several maps, <stem>_<name>.<ext> beside it.
  std::vector<config::NodePath> paths() const override;
  std::string describe() const override { return path; }
};

}  // namespace conveyor::sinks
