/* The `pool` stage: the layer that follows convolution in a CNN. Each map of
 * its input is shrunk by taking the maximum or the mean of each window
 * (pool_maps.hpp computes it; the window is placed as the engine places a
 * kernel: same anchor, borders and output size rule, docs/engine.md).
 *
 *   input:   each map of the previous stage (one, or every named map)
 *   outputs: the pooled maps, same names, depth and channels
 *   YAML:    - { name: pooled, type: pool, op: max, size: 2 }
 *            - { name: pooled, type: pool, op: average, size: [3, 3], stride: 2 }
 */
#include <cstdio>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/stage.hpp"
#include "pool_maps.hpp"

namespace conveyor::stages {
namespace {

using config::MapShape;

struct PoolParams : config::PerMapParams {
  PoolWindow window;

  std::string op_name() const { return window.op == PoolOp::Max ? "max" : "average"; }
  std::string describe() const override {
    return op_name() + " " + std::to_string(window.size_x) + "x" + std::to_string(window.size_y) +
           ", stride " + std::to_string(window.stride_x) + "," + std::to_string(window.stride_y) +
           ", border " + conv::to_string(window.border);
  }

  MapShape shape_for(const MapShape& in) const override {
    const conv::MapSize size = pool_output_size(window, in.width, in.height);
    return {size.width, size.height, in.channels, in.is_float};
  }
  std::string fit_hint() const override {
    return "a window that fits the input (a padded border or a smaller size)";
  }

  config::StageDescription describe_plan(const config::StageGeometry& geometry,
                                         const config::RuntimeSpec& /*runtime*/) const override {
    config::StageDescription description;
    if (geometry.inputs.empty()) return description;
    const MapShape& in = geometry.inputs.front();
    const MapShape out = shape_for(in);
    double comparisons = 0;  // not multiply-adds: kept out of validate's total
    for (const MapShape& map : geometry.inputs) {
      const MapShape pooled_map = shape_for(map);
      comparisons += static_cast<double>(pooled_map.width) * pooled_map.height * map.channels *
                     window.size_x * window.size_y;
    }
    char text[200];
    std::snprintf(text, sizeof text, "%dx%dx%d input, %zu map(s), %s -> %dx%d, %.1f M reads/frame",
                  in.width, in.height, in.channels, geometry.inputs.size(), describe().c_str(),
                  out.width, out.height, comparisons / 1e6);
    description.summary = text;
    return description;
  }
};

class PoolStage : public pipeline::PerMapStage {
 public:
  explicit PoolStage(PoolWindow window) : window_(window) {}

 private:
  cv::Mat apply(const cv::Mat& map) const override { return pool_map(map, window_); }

  PoolWindow window_;
};

std::shared_ptr<const config::StageParams> read_params(config::Context& ctx, config::MapReader& map,
                                                       config::ColorMode /*input_color*/) {
  using namespace config::pipeline_detail;
  auto params = std::make_shared<PoolParams>();
  PoolWindow& window = params->window;
  static const std::vector<std::pair<std::string, PoolOp>> kOps = {{"max", PoolOp::Max},
                                                                   {"average", PoolOp::Average}};
  if (auto v = map.required("op", "max or average")) read_enum(ctx, *v, kOps, window.op, "pool op");
  if (auto v = map.get("size")) {
    read_int_pair(
        ctx, *v, 1, conv::kMaxKernelSize, window.size_x, window.size_y,
        "a window side from 1 to " + std::to_string(conv::kMaxKernelSize) + ", or [w, h]");
  }
  window.stride_x = window.size_x;  // non-overlapping windows unless told
  window.stride_y = window.size_y;
  if (auto v = map.get("stride")) read_stride(ctx, *v, window.stride_x, window.stride_y);
  if (auto v = map.get("border")) read_border(ctx, *v, window.border);
  return params;
}

const config::RegisterStage kRegistration(
    {{"pool",
      "max or average pooling of each map of its input, as the layer after convolution in a "
      "CNN; each pooled map keeps its name",
      {{"op", "max | average (required)", "the window's maximum, or its mean over its whole area"},
       {"size", "1..31 or [w, h] (2)", "the window"},
       {"stride", "1..64 or [sx, sy] (the size)", "the step between windows"},
       {"border", "valid | zero | replicate | reflect | wrap (valid)",
        "windows past the edge, by the engine's rules (docs/engine.md)"}},
      "{name: pooled, type: pool, op: max, size: 2}"},
     config::StageInput::Each,
     read_params,
     [](const config::StageSpec& spec, const config::RuntimeSpec&, const config::StageNeeds&) {
       return std::make_unique<PoolStage>(spec.as<PoolParams>().window);
     }});

}  // namespace
}  // namespace conveyor::stages
