// The `testpattern` source: deterministic, the right size and count, with edges.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "stage_test_support.hpp"

namespace conveyor::testing {
namespace {

using TestPattern = std::string;  // the YAML name

std::unique_ptr<pipeline::Source> open_pattern(const TestPattern& pattern, int width, int height,
                                               std::int64_t frames,
                                               config::ColorMode color = config::ColorMode::Bgr) {
  auto source = pipeline::make_source(
      source_yaml("{type: testpattern, pattern: " + pattern + ", width: " + std::to_string(width) +
                      ", height: " + std::to_string(height) +
                      ", frames: " + std::to_string(frames) + ", fps: 24}",
                  color));
  source->open();
  return source;
}

double mean_sobel_magnitude(const cv::Mat& frame) {
  cv::Mat gray, gx, gy, magnitude;
  if (frame.channels() == 3)
    cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
  else
    gray = frame;
  cv::Sobel(gray, gx, CV_32F, 1, 0);
  cv::Sobel(gray, gy, CV_32F, 0, 1);
  cv::magnitude(gx, gy, magnitude);
  return cv::mean(magnitude)[0];
}

const TestPattern kAll[] = {"moving_box", "gradient", "checkerboard", "bars", "noise"};

TEST(TestPatternSource, RightSizeCountAndFps) {
  auto source = open_pattern("moving_box", 320, 180, 7);
  EXPECT_EQ(source->expected_frames(), 7);
  EXPECT_DOUBLE_EQ(source->fps(), 24.0);
  const Drained got = drain(*source);
  ASSERT_TRUE(got.ended);
  ASSERT_EQ(got.frames.size(), 7u);
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(got.frames[i].size(), cv::Size(320, 180));
    EXPECT_EQ(got.frames[i].type(), CV_8UC3);
    EXPECT_EQ(got.indices[i], static_cast<std::int64_t>(i));
  }
  EXPECT_EQ(source->stats().frames, 7);
}

TEST(TestPatternSource, EveryVariantIsDeterministicMovingAndHasEdges) {
  for (const TestPattern& pattern : kAll) {
    SCOPED_TRACE(pattern);
    const Drained a = drain(*open_pattern(pattern, 256, 144, 4));
    const Drained b = drain(*open_pattern(pattern, 256, 144, 4));
    ASSERT_EQ(a.frames.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_TRUE(identical(a.frames[i], b.frames[i])) << "frame " << i;
      EXPECT_GT(mean_sobel_magnitude(a.frames[i]), 20.0);
    }
    EXPECT_FALSE(identical(a.frames[0], a.frames[3]));  // things move
  }
}

TEST(TestPatternSource, FrameNDoesNotDependOnWhatWasReadBefore) {
  auto source = open_pattern("checkerboard", 128, 96, 0);
  const Drained first = drain(*source, 6);
  auto again = open_pattern("checkerboard", 128, 96, 0);
  const Drained second = drain(*again, 6);
  EXPECT_FALSE(first.ended);  // frames: 0 is endless
  EXPECT_FALSE(again->expected_frames().has_value());
  EXPECT_TRUE(identical(first.frames[5], second.frames[5]));
}

TEST(TestPatternSource, GrayOutputAndTinySizes) {
  const Drained gray = drain(*open_pattern("bars", 64, 48, 2, config::ColorMode::Gray));
  ASSERT_EQ(gray.frames.size(), 2u);
  EXPECT_EQ(gray.frames[0].type(), CV_8UC1);
  EXPECT_GT(mean_sobel_magnitude(gray.frames[0]), 10.0);
  for (const TestPattern& pattern : kAll) {
    const Drained tiny = drain(*open_pattern(pattern, 1, 1, 2));
    ASSERT_EQ(tiny.frames.size(), 2u);
    EXPECT_EQ(tiny.frames[0].size(), cv::Size(1, 1));
    const Drained odd = drain(*open_pattern(pattern, 7, 641, 1));
    EXPECT_EQ(odd.frames[0].size(), cv::Size(7, 641));
  }
}

}  // namespace
}  // namespace conveyor::testing
