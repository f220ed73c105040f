#include "conveyor/conv/combine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "conv/simd_kernels.hpp"
#include "conveyor/conv/errors.hpp"

namespace conveyor::conv {

std::string to_string(CombineOp op) {
  switch (op) {
    case CombineOp::Magnitude:
      return "magnitude";
    case CombineOp::SumAbs:
      return "sum_abs";
    case CombineOp::Max:
      return "max";
    case CombineOp::MaxAbs:
      return "max_abs";
    case CombineOp::WeightedSum:
      return "weighted_sum";
    case CombineOp::Stack:
      return "stack";
  }
  return "?";
}

const std::vector<std::string>& combine_names() {
  static const std::vector<std::string> names{"magnitude", "sum_abs",      "max",
                                              "max_abs",   "weighted_sum", "stack"};
  return names;
}

std::optional<CombineOp> parse_combine(const std::string& text) {
  if (text == "magnitude" || text == "l2") return CombineOp::Magnitude;
  if (text == "sum_abs" || text == "l1") return CombineOp::SumAbs;
  if (text == "max") return CombineOp::Max;
  if (text == "max_abs") return CombineOp::MaxAbs;
  if (text == "weighted_sum" || text == "sum") return CombineOp::WeightedSum;
  if (text == "stack") return CombineOp::Stack;
  return std::nullopt;
}

FeatureMap combine_maps(const std::vector<const FeatureMap*>& maps, const Combine& combine) {
  if (maps.empty()) throw ConfigError("combine needs at least one feature map, got none");
  if (combine.op == CombineOp::WeightedSum && !combine.weights.empty() &&
      combine.weights.size() != maps.size()) {
    std::ostringstream message;
    message << "weighted_sum has " << combine.weights.size() << " weights for " << maps.size()
            << " maps; expected one weight per map";
    throw ConfigError(message.str());
  }
  const FeatureMap& first = *maps.front();
  for (const FeatureMap* map : maps) {
    if (map->width != first.width || map->height != first.height ||
        map->channels != first.channels) {
      std::ostringstream message;
      message << "cannot combine map '" << map->name << "' (" << map->width << "x" << map->height
              << "x" << map->channels << ") with '" << first.name << "' (" << first.width << "x"
              << first.height << "x" << first.channels
              << "); expected maps of equal size (same stride and border)";
      throw ConfigError(message.str());
    }
  }
  if (combine.op == CombineOp::Stack) {
    throw ConfigError("combine 'stack' keeps every map; it does not reduce them to one");
  }
  FeatureMap out(first.width, first.height, first.channels, to_string(combine.op));
  const int total = static_cast<int>(out.data.size());
  const int whole = total / detail::kBlock * detail::kBlock;
  std::vector<const float*> inputs(maps.size());
  const float* weights = combine.weights.empty() ? nullptr : combine.weights.data();
  const int op = static_cast<int>(combine.op);
  for (std::size_t m = 0; m < maps.size(); ++m) inputs[m] = maps[m]->data.data();
  detail::combine_rows(inputs.data(), static_cast<int>(maps.size()), op, weights, out.data.data(),
                       whole);
  if (whole < total) {  // the last partial block goes through padded copies
    const int rest = total - whole;
    std::vector<float> padded(maps.size() * detail::kBlock, 0.0f);
    std::vector<float> result(detail::kBlock);
    for (std::size_t m = 0; m < maps.size(); ++m) {
      std::copy_n(maps[m]->data.data() + whole, rest, padded.data() + m * detail::kBlock);
      inputs[m] = padded.data() + m * detail::kBlock;
    }
    detail::combine_rows(inputs.data(), static_cast<int>(maps.size()), op, weights, result.data(),
                         detail::kBlock);
    std::copy_n(result.data(), rest, out.data.data() + whole);
  }
  return out;
}

}  // namespace conveyor::conv
