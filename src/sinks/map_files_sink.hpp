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

  // Before the maps are known: the file and any <stem>_*.<ext> beside it.
  std::vector<config::NodePath> paths() const override;
  // The files for these maps, exactly (io::plan_map_files; text also each
  // channel's file, as colour may be known only at the first frame).
  std::vector<config::NodePath> paths_for(
      const std::vector<std::string>& input_maps) const override;
  std::string describe() const override { return path; }
};

}  // namespace conveyor::sinks
