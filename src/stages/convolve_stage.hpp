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

#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/conv/bank.hpp"
#include "conveyor/pipeline/frame.hpp"

namespace conveyor::pipeline {

class ConvolveStage {
 public:
  // `keep_maps`: some sink reads the individual feature maps, so they must be
  // kept (otherwise a reducing combine runs fused, without writing them).
  // `post_each_map`: every map is also turned into a picture. `mosaic_read`:
  // a sink that looks at images takes this stage's output, so a stage that
  // keeps several maps makes their pictures for the mosaic.
  ConvolveStage(const config::StageSpec& spec, const config::RuntimeSpec& runtime, bool keep_maps,
                bool post_each_map, bool mosaic_read = true);

  // Filters `input` (CV_8U or CV_32F, 1 or 3 channels). Thread-safe: frames
  // of the same stage run concurrently.
  StageOutput process(const cv::Mat& input) const;

  const config::StageSpec& spec() const { return spec_; }
  // The plan for the last seen input shape (for `validate` and logs).
  std::shared_ptr<const conv::BankPlan> plan_for(const conv::InputShape& shape) const;

 private:
  // Throws std::runtime_error when `map` (named `name`) holds an inf or NaN.
  cv::Mat post_process(const conv::FeatureMap& map, const std::string& name) const;

  config::StageSpec spec_;
  config::RuntimeSpec runtime_;
  bool keep_maps_;
  bool post_each_map_;
  bool mosaic_read_;
  bool fused_;
  mutable std::mutex plan_mutex_;
  mutable std::shared_ptr<const conv::BankPlan> plan_;
};

// A cv::Mat header over a feature map (no copy; the map must outlive it).
cv::Mat as_mat(const conv::FeatureMap& map);

}  // namespace conveyor::pipeline
