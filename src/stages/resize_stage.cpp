/* The `resize` stage: each map of its input scaled to a size, with OpenCV's
 * cv::resize (a well-kept library already does this well).
 *
 *   input:   each map of the previous stage (one, or every named map)
 *   outputs: the resized maps, same names, depth and channels
 *   YAML:    - { name: small, type: resize, width: 640, height: 360 }
 *            - { name: small, type: resize, width: 640 }     # height keeps the aspect ratio
 *            - { name: half, type: resize, scale: 0.5, interpolation: linear }
 */
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/stage.hpp"

namespace conveyor::stages {
namespace {

using config::MapShape;

constexpr int kMaxSide = 16384;
enum class Interpolation { Auto, Area, Linear, Nearest, Cubic };
const std::vector<std::pair<std::string, Interpolation>> kInterpolations = {
    {"area", Interpolation::Area},
    {"linear", Interpolation::Linear},
    {"nearest", Interpolation::Nearest},
    {"cubic", Interpolation::Cubic}};

int to_cv(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::Linear:
      return cv::INTER_LINEAR;
    case Interpolation::Nearest:
      return cv::INTER_NEAREST;
    case Interpolation::Cubic:
      return cv::INTER_CUBIC;
    case Interpolation::Area:
    case Interpolation::Auto:  // resolved by ResizeParams::chosen before
      break;
  }
  return cv::INTER_AREA;
}

// Rounded to the nearest pixel, at least one.
int scaled(int side, double factor) {
  return std::max(1, static_cast<int>(std::lround(side * factor)));
}

struct ResizeParams : config::PerMapParams {
  std::optional<int> width;
  std::optional<int> height;
  std::optional<double> scale;
  Interpolation interpolation = Interpolation::Auto;

  conv::MapSize size_for(int in_width, int in_height) const {
    if (scale) return {scaled(in_width, *scale), scaled(in_height, *scale)};
    if (width && height) return {*width, *height};
    if (width) return {*width, scaled(in_height, static_cast<double>(*width) / in_width)};
    return {scaled(in_width, static_cast<double>(*height) / in_height), *height};
  }

  // The default: area when shrinking (it averages, so no aliasing), linear
  // when enlarging.
  Interpolation chosen(int in_width, int in_height, conv::MapSize out) const {
    if (interpolation != Interpolation::Auto) return interpolation;
    return out.width <= in_width && out.height <= in_height ? Interpolation::Area
                                                            : Interpolation::Linear;
  }

  std::string describe() const override {
    std::string text;
    if (scale) text = "scale " + std::to_string(*scale);
    if (width) text += "width " + std::to_string(*width);
    if (height)
      text += (text.empty() ? "" : ", ") + std::string("height ") + std::to_string(*height);
    if (interpolation != Interpolation::Auto)
      text += ", " + config::name_of(kInterpolations, interpolation);
    return text;
  }

  MapShape shape_for(const MapShape& in) const override {
    const conv::MapSize size = size_for(in.width, in.height);
    return {size.width, size.height, in.channels, in.is_float};
  }

  config::StageDescription describe_plan(const config::StageGeometry& geometry,
                                         const config::RuntimeSpec& /*runtime*/) const override {
    config::StageDescription description;
    if (geometry.inputs.empty()) return description;
    const MapShape& in = geometry.inputs.front();
    const conv::MapSize out = size_for(in.width, in.height);
    const std::string how = config::name_of(kInterpolations, chosen(in.width, in.height, out));
    char text[160];
    std::snprintf(text, sizeof text, "%dx%dx%d input, %zu map(s), resized to %dx%d (%s)", in.width,
                  in.height, in.channels, geometry.inputs.size(), out.width, out.height,
                  how.c_str());
    description.summary = text;
    return description;
  }
};

class ResizeStage : public pipeline::PerMapStage {
 public:
  explicit ResizeStage(ResizeParams params) : params_(std::move(params)) {}

 private:
  cv::Mat apply(const cv::Mat& map) const override {
    const conv::MapSize size = params_.size_for(map.cols, map.rows);
    cv::Mat out;
    cv::resize(map, out, cv::Size(size.width, size.height), 0, 0,
               to_cv(params_.chosen(map.cols, map.rows, size)));
    return out;
  }

  ResizeParams params_;
};

std::shared_ptr<const config::StageParams> read_params(config::Context& ctx, config::MapReader& map,
                                                       config::ColorMode /*input_color*/) {
  using namespace config::pipeline_detail;
  auto params = std::make_shared<ResizeParams>();
  const std::string side = "pixels from 1 to " + std::to_string(kMaxSide);
  int value = 0;
  if (auto v = map.get("width"); v && read_int(ctx, *v, 1, kMaxSide, value, side))
    params->width = value;
  if (auto v = map.get("height"); v && read_int(ctx, *v, 1, kMaxSide, value, side))
    params->height = value;
  if (auto v = map.get("scale")) {
    double factor = 1;
    if (read_real(ctx, *v, 0, 16, factor, "a factor above 0 and at most 16", true))
      params->scale = factor;
    if (map.has("width") || map.has("height")) {
      ctx.error(v->mark, v->path +
                             ": scale with width or height; expected either scale, or width "
                             "and/or height");
    }
  } else if (!map.has("width") && !map.has("height")) {
    map.required("width", "width and/or height in pixels, or scale");
  }
  if (auto v = map.get("interpolation"))
    read_enum(ctx, *v, kInterpolations, params->interpolation, "interpolation");
  return params;
}

const config::RegisterStage kRegistration(
    {{"resize",
      "each map of its input scaled to a size (OpenCV's cv::resize); each keeps its name",
      {{"width", "pixels 1..16384", "the output width; alone, the height keeps the aspect ratio"},
       {"height", "pixels 1..16384", "the output height; alone, the width keeps the aspect ratio"},
       {"scale", "0 < scale <= 16",
        "both sides times this factor, rounded (not with width/height)"},
       {"interpolation", "area | linear | nearest | cubic (area shrinking, else linear)",
        "how pixels are interpolated"}},
      "{name: small, type: resize, width: 640, height: 360}"},
     config::StageInput::Each,
     read_params,
     [](const config::StageSpec& spec, const config::RuntimeSpec&, const config::StageNeeds&) {
       return std::make_unique<ResizeStage>(spec.as<ResizeParams>());
     }});

}  // namespace
}  // namespace conveyor::stages
