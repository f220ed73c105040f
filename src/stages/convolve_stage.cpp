#include "convolve_stage.hpp"

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "conveyor/conv/errors.hpp"
#include "conveyor/conv/post.hpp"

namespace conveyor::stages {

cv::Mat as_mat(const conv::FeatureMap& map) {
  return cv::Mat(map.height, map.width, CV_32FC(map.channels), const_cast<float*>(map.data.data()));
}

ConvolveStage::ConvolveStage(const config::ConvolveParams& spec, const config::RuntimeSpec& runtime,
                             const config::StageNeeds& needs)
    : spec_(spec), runtime_(runtime), needs_(needs) {
  // Fusing needs a reducing combine over the whole bank, in bank order.
  bool all_inputs = spec_.combine.has_value();
  if (all_inputs) {
    const auto& indices = spec_.combine->input_indices;
    all_inputs = indices.size() == spec_.filters.size();
    for (std::size_t i = 0; all_inputs && i < indices.size(); ++i) {
      all_inputs = indices[i] == static_cast<int>(i);
    }
  }
  fused_ = all_inputs && !needs_.maps && spec_.combine->op != conv::CombineOp::Stack;
}

std::shared_ptr<const conv::BankPlan> ConvolveStage::plan_for(const conv::InputShape& shape) const {
  std::lock_guard lock(plan_mutex_);
  if (plan_) {
    const auto& s = plan_->input_shape();
    if (s.width == shape.width && s.height == shape.height && s.channels == shape.channels &&
        s.type == shape.type) {
      return plan_;
    }
  }
  // threads = 0: tiles run in the caller's arena, which the runner sized.
  conv::PlanOptions options{0, runtime_.tile_width, runtime_.tile_height};
  plan_ = std::make_shared<const conv::BankPlan>(spec_.filters, shape, options);
  return plan_;
}

namespace {

// A map with an infinity or a NaN would become a silent black (or white)
// picture: it is a filter_error of the frame instead. cv::sum adds in double,
// so the sum of finite float values is finite and one inf or NaN shows.
void require_finite(const cv::Mat& values, const std::string& name) {
  const cv::Scalar sums = cv::sum(values);
  for (int c = 0; c < values.channels(); ++c) {
    if (std::isfinite(sums[c])) continue;
    throw std::runtime_error("feature map '" + name +
                             "' has non-finite values (float overflow or NaN); expected finite "
                             "values: scale the weights or the inputs down");
  }
}

// The pipeline's post spec as the engine's post step.
conv::PostStep post_step(const config::PostSpec& post) {
  conv::PostStep step;
  switch (post.normalize) {
    case config::Normalize::None:
      break;
    case config::Normalize::AbsScale:
      step.normalize = conv::ToU8::AbsScale;
      break;
    case config::Normalize::Clamp:
      step.normalize = conv::ToU8::Clamp;
      break;
    case config::Normalize::MinMax:
      step.normalize = conv::ToU8::MinMax;
      break;
  }
  step.scale = post.scale;
  step.threshold = post.threshold;
  step.to_u8 = post.to_u8;
  return step;
}

}  // namespace

cv::Mat ConvolveStage::post_process(const conv::FeatureMap& map, const std::string& name) const {
  const cv::Mat values = as_mat(map);
  require_finite(values, name);
  if (!spec_.post) return values.clone();
  const conv::PostStep step = post_step(*spec_.post);
  if (step.gives_u8()) {
    cv::Mat out(map.height, map.width, CV_8UC(map.channels));
    conv::post_process(map, step, out.ptr<unsigned char>());
    return out;
  }
  cv::Mat out(map.height, map.width, CV_32FC(map.channels));
  conv::post_process(map, step, out.ptr<float>());
  return out;
}

pipeline::StageOutput ConvolveStage::process(const pipeline::StageOutput& input) const {
  return process(input.output);
}

pipeline::StageOutput ConvolveStage::process(const cv::Mat& frame) const {
  cv::Mat input = frame;
  const int channels = spec_.color_mode == config::ColorMode::Gray ? 1 : 3;
  if (input.channels() != channels) {
    cv::cvtColor(input, input, channels == 1 ? cv::COLOR_BGR2GRAY : cv::COLOR_GRAY2BGR);
  }
  if (input.depth() != CV_8U && input.depth() != CV_32F) input.convertTo(input, CV_32F);
  if (!input.isContinuous() && input.step[0] % input.elemSize1() != 0) input = input.clone();
  conv::ImageView view =
      input.depth() == CV_8U
          ? conv::make_view(input.ptr<std::uint8_t>(), input.cols, input.rows, channels,
                            input.step[0])
          : conv::make_view(input.ptr<float>(), input.cols, input.rows, channels, input.step[0]);
  const auto plan = plan_for({view.width, view.height, channels, view.type});

  pipeline::StageOutput result;
  if (fused_) {
    conv::FeatureMap combined;
    plan->run_combined(view, conv::Combine{spec_.combine->op, spec_.combine->weights}, combined);
    result.output = post_process(combined, conv::to_string(spec_.combine->op));
    return result;
  }
  std::vector<conv::FeatureMap> maps;
  plan->run(view, maps);
  if (spec_.combine && spec_.combine->op != conv::CombineOp::Stack) {
    std::vector<const conv::FeatureMap*> inputs;
    for (int index : spec_.combine->input_indices) {
      inputs.push_back(&maps[static_cast<std::size_t>(index)]);
    }
    result.output =
        post_process(conv::combine_maps(inputs, {spec_.combine->op, spec_.combine->weights}),
                     conv::to_string(spec_.combine->op));
  } else if (maps.size() == 1) {
    result.output = post_process(maps.front(), spec_.filters.front().name);
  }
  if (needs_.maps || needs_.views) {
    for (std::size_t m = 0; m < maps.size(); ++m)
      result.maps.push_back(post_process(maps[m], spec_.filters[m].name));
  }
  return result;
}

namespace {

std::shared_ptr<const config::StageParams> read_params(config::Context& ctx, config::MapReader& map,
                                                       config::ColorMode input_color) {
  return config::read_convolve_params(ctx, map, input_color);
}

std::unique_ptr<pipeline::Stage> make(const config::StageSpec& spec,
                                      const config::RuntimeSpec& runtime,
                                      const config::StageNeeds& needs) {
  return std::make_unique<ConvolveStage>(spec.as<config::ConvolveParams>(), runtime, needs);
}

const config::RegisterStage kRegistration(
    {{"convolve",
      "a bank of 2-D convolution filters, each giving a feature map, optionally combined and "
      "turned into a picture (the default stage type)",
      {{"bank", "a list of 1..64 filters (required)",
        "each {kernel: name | {family: {params}}, or weights: [[...]], name, stride, border, "
        "flip, anchor}"},
       {"color", "gray | bgr (the input's)", "convolve the gray or the color picture"},
       {"stride", "1..64 or [sx, sy] (1)", "default stride of the bank's filters"},
       {"border", "valid | zero | replicate | reflect | wrap (reflect)",
        "default border of the bank's filters"},
       {"combine", "{op, inputs, weights} (none)",
        "magnitude | sum_abs | max | max_abs | weighted_sum | stack over the filters' maps"},
       {"post", "{normalize, scale, threshold, to_u8} (none)",
        "abs_scale | clamp | minmax | none: the maps as 8-bit pictures"}},
      "{name: edges, bank: [sobel_x, sobel_y], combine: {op: magnitude}, post: {normalize: "
      "abs_scale, scale: 0.25}}"},
     config::StageInput::One,
     read_params,
     make});

}  // namespace
}  // namespace conveyor::stages
