// The `convolve` stage: runs one bank on a frame's input and applies the
// stage's combine and post steps.
//
//   input:   the previous stage's single output, or the captured frame
//   outputs: every feature map (f32), and the stage output after `post`
//            (the combined map, or the only map; CV_8U when converted)
//   YAML:    - name: edges
//              bank: [{kernel: sobel_x}, {kernel: sobel_y}]
//              combine: {op: magnitude}
//              post: {normalize: abs_scale, scale: 0.25}
#pragma once

#include <memory>
#include <mutex>
#include <opencv2/core.hpp>

#include "conveyor/config/convolve_spec.hpp"
#include "conveyor/conv/bank.hpp"
#include "conveyor/pipeline/stage.hpp"

namespace conveyor::stages {

class ConvolveStage : public pipeline::Stage {
 public:
  // `needs.maps`: the run takes the individual maps, so they are kept
  // (otherwise a reducing combine runs fused, without making them) and
  // turned into pictures. `needs.views`: a window shows the maps' pictures,
  // made when the maps are.
  ConvolveStage(const config::ConvolveParams& spec, const config::RuntimeSpec& runtime,
                const config::StageNeeds& needs);

  // Filters `input.output` (CV_8U or CV_32F, 1 or 3 channels).
  pipeline::StageOutput process(const pipeline::StageOutput& input) const override;
  pipeline::StageOutput process(const cv::Mat& input) const;
  // The plan for the last seen input shape (for `validate` and logs).
  std::shared_ptr<const conv::BankPlan> plan_for(const conv::InputShape& shape) const;

 private:
  // Throws std::runtime_error when `map` (named `name`) holds an inf or NaN.
  cv::Mat post_process(const conv::FeatureMap& map, const std::string& name) const;

  config::ConvolveParams spec_;
  config::RuntimeSpec runtime_;
  config::StageNeeds needs_;
  bool fused_;
  mutable std::mutex plan_mutex_;
  mutable std::shared_ptr<const conv::BankPlan> plan_;
};

// A cv::Mat header over a feature map (no copy; the map must outlive it).
cv::Mat as_mat(const conv::FeatureMap& map);

}  // namespace conveyor::stages
