// Readers for each section of a pipeline file (the schema of docs/pipelines.md).
// Each reads what it can, reports every problem to the Context and returns
// defaults where a value was wrong, so one run lists all problems.
#pragma once

#include <optional>
#include <vector>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/config/yaml_reader.hpp"

namespace conveyor::config::pipeline_detail {

// The node type named by the mapping's `type:`, or nullptr after reporting
// it. The list of names (which loads the media plugin) is only made for a
// message.
template <class Descriptor>
const Descriptor* read_node_type(Context& ctx, MapReader& map,
                                 const Descriptor* (*find)(const std::string&),
                                 std::vector<std::string> (*names)(), const std::string& what) {
  const std::optional<Value> value = map.get("type");
  if (!value) {
    map.required("type", "one of " + join_names(names()));
    return nullptr;
  }
  std::string type;
  if (!read_string(ctx, *value, type, "a " + what + " (`conveyor nodes` lists them)"))
    return nullptr;
  if (const Descriptor* node = find(type)) return node;
  const std::string problem = plugin_problem();
  const std::vector<std::string> known = names();
  ctx.error(value->mark, value->path + ": unknown " + what + " '" + type + "'; expected one of " +
                             join_names(known) + util::did_you_mean(type, known) +
                             (problem.empty() ? "" : " (" + problem + ")"));
  return nullptr;
}

SourceSpec read_source(Context& ctx, const Value& value);
// `input_color`: the source's color; a stage's default color is its input's.
std::vector<StageSpec> read_stages(Context& ctx, const Value& value, ColorMode input_color);
std::vector<SinkSpec> read_sinks(Context& ctx, const Value& value);
RuntimeSpec read_runtime(Context& ctx, const std::optional<Value>& value, bool live_source);
MetricsSpec read_metrics(Context& ctx, const std::optional<Value>& value);

}  // namespace conveyor::config::pipeline_detail
