// Readers for the parts of a convolution stage (pipeline_bank_parts.cpp).
#pragma once

#include "conveyor/config/convolve_spec.hpp"
#include "pipeline_schema.hpp"

namespace conveyor::config::pipeline_detail {

// `weights: [[...], ...]`: rectangular, 1..31 per side, every weight finite.
bool read_matrix(Context& ctx, const Value& value, std::vector<std::vector<float>>& rows);
// `kernel:` a name, {family: {params}} or a matrix.
bool read_kernel_ref(Context& ctx, const Value& value, KernelRef& ref);
// `combine:` with inputs checked against the bank's filter names.
bool read_combine(Context& ctx, const Value& value, const std::vector<FilterSpec>& bank,
                  CombineSpec& combine);
bool read_post(Context& ctx, const Value& value, PostSpec& post);

}  // namespace conveyor::config::pipeline_detail
