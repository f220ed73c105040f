// The stage's post step (normalize, scale, threshold, 8-bit) against plain
// per-pixel formulas, on an identity bank so the stage output is the post
// step alone. Values cover negatives, halves (rounding), and saturation.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <opencv2/core.hpp>

#include "../../src/stages/convolve_stage.hpp"
#include "conveyor/conv/kernel.hpp"

namespace conveyor::pipeline {
namespace {

// A float frame whose values run over [-600, 600) in steps of 0.25, so
// every rounding case (x.25, x.5, x.75) and both saturation ends occur.
cv::Mat ramp_frame() {
  cv::Mat frame(48, 100, CV_32F);
  for (int i = 0; i < frame.rows * frame.cols; ++i) {
    frame.at<float>(i / frame.cols, i % frame.cols) = -600.0f + 0.25f * static_cast<float>(i);
  }
  return frame;
}

cv::Mat run_post(const config::PostSpec& post, const cv::Mat& frame) {
  config::ConvolveParams spec;
  conv::Filter identity{"identity", conv::make_kernel({{1.0f}}), 1,
                        1,          conv::Border::Reflect,       false};
  spec.filters = {identity};
  spec.post = post;
  const stages::ConvolveStage stage(spec, config::RuntimeSpec{}, {});
  return stage.process(frame).output;
}

// Rounds half to even and saturates to [0, 255], as the post step documents.
std::uint8_t to_byte(double value) {
  return static_cast<std::uint8_t>(std::nearbyint(std::clamp(value, 0.0, 255.0)));
}

void expect_bytes(const cv::Mat& actual, const cv::Mat& frame,
                  const std::function<std::uint8_t(float)>& expected) {
  ASSERT_EQ(actual.type(), CV_8UC1);
  ASSERT_EQ(actual.size(), frame.size());
  for (int y = 0; y < frame.rows; ++y) {
    for (int x = 0; x < frame.cols; ++x) {
      const float v = frame.at<float>(y, x);
      ASSERT_EQ(actual.at<std::uint8_t>(y, x), expected(v)) << "input value " << v;
    }
  }
}

TEST(PostStep, AbsScaleIsAbsoluteTimesScaleRoundedAndSaturated) {
  const cv::Mat frame = ramp_frame();
  for (float scale : {0.5f, 1.0f, 0.3f}) {
    config::PostSpec post;
    post.normalize = config::Normalize::AbsScale;
    post.scale = scale;
    expect_bytes(run_post(post, frame), frame,
                 [&](float v) { return to_byte(static_cast<double>(std::abs(v) * scale)); });
  }
}

TEST(PostStep, ClampScalesThenCutsNegativesAndHighlights) {
  const cv::Mat frame = ramp_frame();
  config::PostSpec post;
  post.normalize = config::Normalize::Clamp;
  post.scale = 0.5f;
  expect_bytes(run_post(post, frame), frame,
               [&](float v) { return to_byte(static_cast<double>(v * 0.5f)); });
}

TEST(PostStep, ThresholdAfterAbsScaleGivesABinaryMap) {
  const cv::Mat frame = ramp_frame();
  config::PostSpec post;
  post.normalize = config::Normalize::AbsScale;
  post.scale = 0.5f;
  post.threshold = 100.0f;
  expect_bytes(run_post(post, frame), frame,
               [&](float v) -> std::uint8_t { return std::abs(v) * 0.5f > 100.0f ? 255 : 0; });
}

TEST(PostStep, NoPostKeepsTheFloatValuesExactly) {
  const cv::Mat frame = ramp_frame();
  config::ConvolveParams spec;
  spec.filters = {
      conv::Filter{"identity", conv::make_kernel({{1.0f}}), 1, 1, conv::Border::Reflect, false}};
  const stages::ConvolveStage stage(spec, config::RuntimeSpec{}, {});
  const cv::Mat out = stage.process(frame).output;
  ASSERT_EQ(out.type(), CV_32FC1);
  EXPECT_EQ(cv::norm(out, frame, cv::NORM_INF), 0.0);
}

}  // namespace
}  // namespace conveyor::pipeline
