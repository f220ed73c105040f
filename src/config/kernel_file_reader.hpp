// The reader of one kernel file, on the pipeline's strict reader
// (yaml_reader.hpp): every problem of the file is collected with its
// file:line:column, key path, value and what was expected, and unknown keys
// get a "did you mean". Internal to the config layer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "conveyor/config/kernel_library.hpp"
#include "conveyor/config/yaml_reader.hpp"

namespace conveyor::config::detail {

using pipeline_detail::Context;
using pipeline_detail::MapReader;
using pipeline_detail::Value;

// A finite number, unquoted ("2" in quotes is text), within +-DBL_MAX.
bool read_number(Context& ctx, const Value& value, double& out, const std::string& expect);
// A whole number within [min, max]; 3.0 is 3, as kernel files always took it.
bool read_whole(Context& ctx, const Value& value, int min, int max, int& out,
                const std::string& expect);
// A matrix as rows of numbers (or one flat row), at most 31x31, each weight a
// 32-bit float.
std::optional<conv::Kernel> read_weights(Context& ctx, const Value& value, const std::string& name);
// `scale: s` multiplies every weight (each product still a 32-bit float).
void apply_scale(Context& ctx, const Value& value, conv::Kernel& kernel);
// `anchor: [x, y]` inside the kernel (column, row from 0).
void read_anchor(Context& ctx, const Value& value, conv::Kernel& kernel);

// Every definition of the document, in file order (the diagnostics in ctx).
std::vector<KernelDefinition> read_kernel_document(Context& ctx, const YAML::Node& root);

}  // namespace conveyor::config::detail
