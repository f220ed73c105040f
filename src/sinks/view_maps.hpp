// The maps a sink that takes views writes one by one (`maps`, `print`): its
// input when that is one map, else each map the input's mosaic is made of.
#pragma once

#include <string>
#include <vector>

#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "map_files.hpp"

namespace conveyor::sinks {

// `input_maps`: SinkContext::input_maps. Throws OutputError when a view the
// input names is missing or empty (a stage that made no picture of it).
inline std::vector<io::NamedMap> maps_of_views(const std::vector<pipeline::View>& views,
                                               const std::vector<std::string>& input_maps) {
  if (input_maps.size() <= 1) {
    const std::string name = input_maps.empty() ? views.front().name : input_maps.front();
    if (views.front().image.empty()) throw pipeline::OutputError("map '" + name + "' is empty");
    return {{name, views.front().image}};
  }
  std::vector<io::NamedMap> maps;
  for (const auto& name : input_maps) {
    const pipeline::View* found = nullptr;
    for (std::size_t v = 1; v < views.size() && found == nullptr; ++v) {
      if (views[v].name == name && !views[v].image.empty()) found = &views[v];
    }
    if (found == nullptr) throw pipeline::OutputError("map '" + name + "' was not made");
    maps.push_back({name, found->image});
  }
  return maps;
}

}  // namespace conveyor::sinks
