// Readers for each section of a pipeline file (the schema of docs/pipelines.md).
// Each reads what it can, reports every problem to the Context and returns
// defaults where a value was wrong, so one run lists all problems.
#pragma once

#include <optional>
#include <vector>

#include "conveyor/config/pipeline_spec.hpp"
#include "yaml_reader.hpp"

namespace conveyor::config::pipeline_detail {

SourceSpec read_source(Context& ctx, const Value& value);
// `input_color`: the source's color; a stage's default color is its input's.
std::vector<StageSpec> read_stages(Context& ctx, const Value& value, ColorMode input_color);
std::vector<SinkSpec> read_sinks(Context& ctx, const Value& value);
RuntimeSpec read_runtime(Context& ctx, const std::optional<Value>& value, bool live_source);
MetricsSpec read_metrics(Context& ctx, const std::optional<Value>& value);

// Shared pieces.
bool read_color(Context& ctx, const Value& value, ColorMode& out);
bool read_border(Context& ctx, const Value& value, conv::Border& out);
// `stride: 2` or `stride: [sx, sy]`.
bool read_stride(Context& ctx, const Value& value, int& x, int& y);
// Names used in references ("stage.filter"): letters, digits, _ and -.
bool read_name(Context& ctx, const Value& value, std::string& out, const std::string& what);

}  // namespace conveyor::config::pipeline_detail
