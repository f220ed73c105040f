// The `source:` section: the type's own keys are read by the type's file
// (node_registry.hpp); `pace` and `color` belong to every source.
#include "conveyor/config/node_registry.hpp"
#include "pipeline_schema.hpp"

namespace conveyor::config::pipeline_detail {

SourceSpec read_source(Context& ctx, const Value& value) {
  SourceSpec source;
  MapReader map(ctx, value, "the source");
  source.where = map.where();
  if (!map.valid()) return source;
  const auto* node = read_node_type(ctx, map, &find_source, &source_names, "source type");
  if (node == nullptr) {
    map.allow({"pace", "color"});  // the type decides the other keys; do not guess them
    return source;
  }
  source.type = node->doc.type;
  source.node = node;
  source.params = node->read(ctx, map);
  if (auto v = map.get("pace")) read_enum(ctx, *v, pace_names(), source.pace, "pace");
  if (auto v = map.get("color")) read_color(ctx, *v, source.color);
  map.finish();
  return source;
}

}  // namespace conveyor::config::pipeline_detail
