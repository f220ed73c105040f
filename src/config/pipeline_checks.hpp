// Checks across sections, run after every section was read without error:
// kernels resolved against the library, stage chaining, sink inputs and
// geometry (paths read and written: pipeline_paths.hpp).
#pragma once

#include "conveyor/config/convolve_spec.hpp"
#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/config/yaml_reader.hpp"

namespace conveyor::config::pipeline_detail {

// Resolves what each stage names in the library (StageParams::resolve).
void resolve_stages(Context& ctx, PipelineSpec& spec, const KernelLibrary& library);
// A convolve filter's kernel, looked up in the library; unknown kernels get a
// "did you mean".
bool resolve_filter_into(Context& ctx, const FilterSpec& filter, const std::string& path,
                         const KernelLibrary& library, conv::Filter& out);
// Fills each stage's map names; a stage that takes one map after one that
// keeps several is an error.
void chain_stages(Context& ctx, PipelineSpec& spec);
// Resolves SinkSpec::map from SinkSpec::input.
void resolve_sink_inputs(Context& ctx, PipelineSpec& spec);

// Sizes through the chain. `exact`: the frame size is the real one, so empty
// maps are errors; otherwise it is a probe and only combines over maps of
// different sizes are reported.
std::vector<StageGeometry> check_geometry_into(Context& ctx, const PipelineSpec& spec, int width,
                                               int height, bool exact);

}  // namespace conveyor::config::pipeline_detail
