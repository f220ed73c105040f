// The `sinks:` section: each sink's type reads its own keys (node_registry.hpp);
// `name` and `input` belong to every sink.
#include <algorithm>

#include "pipeline_schema.hpp"

namespace conveyor::config::pipeline_detail {
namespace {

SinkSpec read_sink(Context& ctx, const Value& value) {
  SinkSpec sink;
  MapReader map(ctx, value, "a sink");
  sink.where = map.where();
  if (!map.valid()) return sink;
  const SinkDescriptor* node = nullptr;
  if (map.explicit_null("type")) {
    map.get("type");  // `type: null` parses as a YAML null: the null sink
    node = find_sink("null");
  } else {
    node = read_node_type(ctx, map, &find_sink, &sink_names, "sink type");
  }
  if (node == nullptr) return sink;
  sink.type = node->doc.type;
  sink.node = node;
  sink.params = node->read(ctx, map);
  if (auto v = map.get("name")) read_name(ctx, *v, sink.name, "sink name");
  const std::string expect = "output, source, a stage name, stage.map or a map name";
  if (auto v = map.get("input")) read_string(ctx, *v, sink.input, expect);
  map.finish();
  return sink;
}

}  // namespace

std::vector<SinkSpec> read_sinks(Context& ctx, const Value& value) {
  std::vector<SinkSpec> sinks;
  auto items = read_list(ctx, value, "a list of sinks, e.g. [{type: file, path: out.mkv}]");
  if (!items) return sinks;
  if (items->empty())
    ctx.error(value.mark, value.path + ": an empty list; expected at least one sink");
  for (const auto& item : *items) sinks.push_back(read_sink(ctx, item));
  // Default names: the type, numbered when a type repeats.
  for (std::size_t i = 0; i < sinks.size(); ++i) {
    if (!sinks[i].name.empty()) continue;
    const auto same = std::count_if(sinks.begin(), sinks.end(),
                                    [&](const SinkSpec& s) { return s.type == sinks[i].type; });
    sinks[i].name = same > 1 ? sinks[i].type + std::to_string(i) : sinks[i].type;
  }
  for (std::size_t i = 0; i < sinks.size(); ++i) {
    if (sinks[i].name.empty()) continue;  // its type was wrong: reported already
    for (std::size_t j = 0; j < i; ++j) {
      if (sinks[j].name != sinks[i].name) continue;
      ctx.error(sinks[i].where.of("name"),
                (*items)[i].path + ": duplicate sink name '" + sinks[i].name + "' (first at line " +
                    std::to_string(sinks[j].where.mark.line) + "); expected unique sink names");
      break;
    }
  }
  return sinks;
}

}  // namespace conveyor::config::pipeline_detail
