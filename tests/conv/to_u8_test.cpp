// Turning f32 feature maps into 8-bit pictures: abs_scale is documented as
// cv::convertScaleAbs, so OpenCV is its oracle; clamp and minmax are checked
// on values chosen by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <opencv2/core.hpp>
#include <random>

#include "conveyor/conv/combine.hpp"

namespace conveyor::conv {
namespace {

FeatureMap map_of(const std::vector<float>& values, int width, int channels = 1) {
  FeatureMap map(width, static_cast<int>(values.size()) / (width * channels), channels);
  map.data.assign(values.begin(), values.end());
  return map;
}

std::vector<unsigned char> opencv_abs_scale(const FeatureMap& map, float scale) {
  const cv::Mat src(map.height, map.width, CV_32FC(map.channels),
                    const_cast<float*>(map.data.data()));
  cv::Mat dst;
  cv::convertScaleAbs(src, dst, scale);
  return {dst.data, dst.data + dst.total() * dst.elemSize()};
}

TEST(ToU8, AbsScaleMatchesConvertScaleAbsOnRandomValues) {
  std::mt19937 rng(61);
  std::uniform_real_distribution<float> value(-400.0f, 400.0f);
  std::vector<float> values(37 * 11 * 3);
  for (float& v : values) v = value(rng);
  const FeatureMap map = map_of(values, 37, 3);
  for (float scale : {1.0f, 0.25f, 3.0f}) {
    SCOPED_TRACE("seed 61, scale " + std::to_string(scale));
    EXPECT_EQ(to_u8(map, ToU8::AbsScale, scale), opencv_abs_scale(map, scale));
  }
}

// Halfway values are common (u8 input, integer kernels, scale 0.5): OpenCV
// rounds them to even (cvRound), so 2.5 -> 2 and 3.5 -> 4.
TEST(ToU8, AbsScaleRoundsHalfwayValuesLikeConvertScaleAbs) {
  const FeatureMap map = map_of({0.5f, 1.5f, 2.5f, -2.5f, 3.5f, 254.5f, 127.5f, -0.5f}, 8);
  EXPECT_EQ(to_u8(map, ToU8::AbsScale, 1.0f), opencv_abs_scale(map, 1.0f));
}

TEST(ToU8, AbsScaleSaturatesAndMapsNanToZero) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const FeatureMap map = map_of({-1000.0f, 1000.0f, nan, -inf, 0.0f, -7.2f}, 6);
  EXPECT_EQ(to_u8(map, ToU8::AbsScale, 1.0f), (std::vector<unsigned char>{255, 255, 0, 255, 0, 7}));
}

TEST(ToU8, ClampScalesThenClampsTo0And255) {
  const FeatureMap map = map_of({-3.0f, 0.0f, 6.2f, 100.0f, 127.4f, 300.0f, std::nanf("")}, 7);
  EXPECT_EQ(to_u8(map, ToU8::Clamp, 2.0f),
            (std::vector<unsigned char>{0, 0, 12, 200, 255, 255, 0}));
}

TEST(ToU8, MinMaxStretchesToTheFullRange) {
  const FeatureMap map = map_of({-10.0f, 0.0f, 10.0f, 30.0f, -10.0f, 20.0f}, 3);
  // range 40: (v + 10) * 255 / 40
  EXPECT_EQ(to_u8(map, ToU8::MinMax), (std::vector<unsigned char>{0, 64, 128, 255, 0, 191}));
  const FeatureMap flat = map_of({5.0f, 5.0f, 5.0f, 5.0f}, 2);
  EXPECT_EQ(to_u8(flat, ToU8::MinMax), (std::vector<unsigned char>(4, 0)));
}

TEST(ToU8, KeepsTheChannelCountAndOrder) {
  const FeatureMap map = map_of({1, 2, 3, 4, 5, 6}, 2, 3);
  EXPECT_EQ(to_u8(map, ToU8::Clamp), (std::vector<unsigned char>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(to_u8(FeatureMap{}, ToU8::MinMax).empty());
}

// Values borrowed from elsewhere (a cv::Mat) give what the map gives, for
// every mode and for a length that is not a whole number of SIMD blocks.
TEST(ToU8, ValuesHeldElsewhereGiveWhatTheMapGives) {
  std::mt19937 rng(67);
  std::uniform_real_distribution<float> value(-300.0f, 900.0f);
  std::vector<float> values(13 * 7 * 3);
  for (float& v : values) v = value(rng);
  const FeatureMap map = map_of(values, 13, 3);
  for (ToU8 mode : {ToU8::AbsScale, ToU8::Clamp, ToU8::MinMax}) {
    SCOPED_TRACE("seed 67, mode " + std::to_string(static_cast<int>(mode)));
    EXPECT_EQ(to_u8(std::span<const float>(values), mode, 0.5f), to_u8(map, mode, 0.5f));
  }
}

TEST(ToU8, ParsesModeNames) {
  EXPECT_EQ(parse_to_u8("abs_scale"), ToU8::AbsScale);
  EXPECT_EQ(parse_to_u8("clamp"), ToU8::Clamp);
  EXPECT_EQ(parse_to_u8("minmax"), ToU8::MinMax);
  EXPECT_FALSE(parse_to_u8("gamma").has_value());
}

}  // namespace
}  // namespace conveyor::conv
