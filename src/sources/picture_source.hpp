// The `picture` source's parameters, for `conveyor apply`, which builds its
// pipeline in code rather than from YAML.
#pragma once

#include <string>
#include <vector>

#include "conveyor/config/node_registry.hpp"

namespace conveyor::sources {

struct PictureParams final : config::SourceParams {
  std::string path;  // a picture, or a .txt/.csv text matrix
  // The picture's own channels (gray 1, colour 3) whatever the source's
  // `color` says: `conveyor apply` plans its stage for the picture it got.
  // Not a YAML key: a pipeline's stages are planned from `color` at load.
  bool keep_channels = false;
  double fps = 30;  // timestamps only: one frame

  double nominal_fps() const override { return fps; }
  std::vector<config::NodePath> paths() const override {
    if (path.empty()) return {};
    return {{"path", util::FileSet::file(path)}};
  }
  std::string describe() const override { return path; }
};

}  // namespace conveyor::sources
