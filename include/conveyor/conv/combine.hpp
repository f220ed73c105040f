// Combining the feature maps of a bank into one map (turning f32 maps into
// 8-bit pictures is post.hpp). The bank plan can fuse a combine into its
// tiles (BankPlan::run_combined) with identical results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "conveyor/conv/image.hpp"
#include "conveyor/conv/post.hpp"  // to_u8, formerly declared here

namespace conveyor::conv {

enum class CombineOp {
  Magnitude,    // L2: sqrt(sum m_i^2)
  SumAbs,       // L1: sum |m_i|
  Max,          // max_i m_i
  MaxAbs,       // max_i |m_i|
  WeightedSum,  // sum w_i * m_i
  Stack,        // keep all maps, unchanged
};

std::string to_string(CombineOp op);
std::optional<CombineOp> parse_combine(const std::string& text);
const std::vector<std::string>& combine_names();

struct Combine {
  CombineOp op = CombineOp::Magnitude;
  std::vector<float> weights;  // WeightedSum only: one per input map
};

// Combines maps of equal size and channel count (throws ConfigError otherwise).
// Stack is not a reduction; asking it here is an error.
FeatureMap combine_maps(const std::vector<const FeatureMap*>& maps, const Combine& combine);

}  // namespace conveyor::conv
