// The one post-processing path (conv::post_process) gives the bytes the two
// former paths gave: the convolve stage's OpenCV post step and conv::to_u8 of
// `conveyor apply`. Both former implementations are kept here, verbatim, as
// oracles, and run over awkward values (negatives, halves, values beyond 255,
// 2^31 and FLT_MAX, denormals, -0) for every normalize mode, scale, threshold
// and to_u8 setting, on odd sizes with 1 and 3 channels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "../../src/stages/convolve_stage.hpp"
#include "conveyor/conv/combine.hpp"
#include "conveyor/conv/kernel.hpp"

namespace conveyor::pipeline {
namespace {

// The convolve stage's post step before it moved into the engine.
cv::Mat former_stage_post(const cv::Mat& values, const config::PostSpec& post) {
  cv::Mat out;
  if (!post.threshold && post.normalize == config::Normalize::AbsScale && post.scale >= 0) {
    cv::convertScaleAbs(values, out, post.scale);
    return out;
  }
  if (!post.threshold && post.normalize == config::Normalize::Clamp) {
    values.convertTo(out, CV_8U, post.scale);
    return out;
  }
  switch (post.normalize) {
    case config::Normalize::None:
      values.convertTo(out, CV_32F, post.scale);
      break;
    case config::Normalize::AbsScale:
      out = cv::abs(values);
      out.convertTo(out, CV_32F, post.scale);
      break;
    case config::Normalize::Clamp:
      out = values * post.scale;
      out = cv::max(cv::min(out, 255.0), 0.0);
      break;
    case config::Normalize::MinMax:
      cv::normalize(values, out, 0, 255, cv::NORM_MINMAX, CV_32F);
      break;
  }
  if (post.threshold) cv::threshold(out, out, *post.threshold, 255.0, cv::THRESH_BINARY);
  const bool to_u8 = post.to_u8 || post.normalize != config::Normalize::None;
  if (to_u8) out.convertTo(out, CV_8U);
  return out;
}

// conv::to_u8 before it became a use of conv::post_process.
std::vector<unsigned char> former_to_u8(const conv::FeatureMap& map, conv::ToU8 mode, float scale) {
  std::vector<unsigned char> out(map.data.size());
  float offset = 0.0f;
  if (mode == conv::ToU8::MinMax && !map.data.empty()) {
    const auto [lo, hi] = std::minmax_element(map.data.begin(), map.data.end());
    const float range = *hi - *lo;
    scale = range > 0.0f ? 255.0f / range : 0.0f;
    offset = -*lo * scale;
  }
  for (std::size_t i = 0; i < map.data.size(); ++i) {
    float v = map.data[i];
    if (mode == conv::ToU8::AbsScale) v = std::fabs(v);
    v = v * scale + offset;
    if (!(v > 0.0f)) v = 0.0f;
    out[i] = static_cast<unsigned char>(std::nearbyint(std::min(v, 255.0f)));
  }
  return out;
}

// Values every conversion finds hard, then random ones.
std::vector<float> awkward_values(std::size_t count, float spread, unsigned seed) {
  std::vector<float> values{0.0f,    -0.0f,       0.5f,   1.5f,     2.5f,     -2.5f,   127.5f,
                            254.5f,  255.49f,     255.5f, 256.0f,   -1.0f,    -255.5f, 1e-40f,
                            -1e-40f, 0.49999997f, -0.5f,  1023.75f, -300.25f, 4096.5f};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> value(-spread, spread);
  while (values.size() < count) values.push_back(value(rng));
  values.resize(count);
  return values;
}

const std::vector<float> kExtremes{1e10f,          -1e10f,  2147483520.0f, 2147483648.0f,
                                   -2147483648.0f, FLT_MAX, -FLT_MAX,      1e30f,
                                   3e38f,          -1e38f,  16777217.0f,   8388608.5f};

conv::FeatureMap map_of(std::vector<float> values, int width, int channels) {
  conv::FeatureMap map(width, static_cast<int>(values.size()) / (width * channels), channels);
  map.data.assign(values.begin(), values.end());
  return map;
}

bool same_bytes(const cv::Mat& a, const cv::Mat& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  const cv::Mat ca = a.isContinuous() ? a : a.clone();
  const cv::Mat cb = b.isContinuous() ? b : b.clone();
  return std::memcmp(ca.data, cb.data, ca.total() * ca.elemSize()) == 0;
}

// The maps: moderate values (every mode), and ones with extremes mixed in.
std::vector<conv::FeatureMap> test_maps(bool extremes) {
  std::vector<conv::FeatureMap> maps;
  for (const auto& [width, height, channels] :
       std::vector<std::tuple<int, int, int>>{{37, 11, 1}, {1, 1, 1}, {5, 3, 3}, {64, 9, 3}}) {
    const std::size_t count = static_cast<std::size_t>(width) * height * channels;
    std::vector<float> values =
        awkward_values(count, extremes ? 5e4f : 700.0f, static_cast<unsigned>(7 + count));
    if (extremes) {
      for (std::size_t i = 0; i < kExtremes.size() && 3 * i < count; ++i)
        values[3 * i] = kExtremes[i];
    }
    maps.push_back(map_of(std::move(values), width, channels));
  }
  return maps;
}

// The stage's output for `map` as input frame, through an identity bank.
cv::Mat stage_post(const conv::FeatureMap& map, const config::PostSpec& post) {
  config::ConvolveParams spec;
  spec.color_mode = map.channels == 1 ? config::ColorMode::Gray : config::ColorMode::Bgr;
  spec.filters = {
      conv::Filter{"identity", conv::make_kernel({{1.0f}}), 1, 1, conv::Border::Reflect, false}};
  spec.post = post;
  const stages::ConvolveStage stage(spec, config::RuntimeSpec{}, {});
  const cv::Mat frame = stages::as_mat(map).clone();
  return stage.process(frame).output;
}

// The former stage turned |v * scale| >= 2^31 into 0, not 255: OpenCV's
// rounding to int overflows there (cvRound gives INT_MIN) before it saturates.
// The one path saturates, as both documented; every other byte is the same.
bool former_overflow(float v, const config::PostSpec& post) {
  if (post.threshold || post.normalize == config::Normalize::MinMax) return false;
  if (post.normalize == config::Normalize::None && !post.to_u8) return false;
  const float scaled =
      post.normalize == config::Normalize::AbsScale ? std::fabs(v) * post.scale : v * post.scale;
  return scaled >= 2147483648.0f;
}

void expect_former_bytes(const conv::FeatureMap& map, const config::PostSpec& post) {
  const cv::Mat now = stage_post(map, post);
  const cv::Mat former = former_stage_post(stages::as_mat(map), post);
  ASSERT_EQ(now.type(), former.type());
  ASSERT_EQ(now.size(), former.size());
  if (now.depth() == CV_32F) {
    EXPECT_TRUE(same_bytes(now, former));
    return;
  }
  int overflows = 0;
  for (std::size_t i = 0; i < map.data.size(); ++i) {
    if (former_overflow(map.data[i], post)) {
      ASSERT_EQ(former.data[i], 0) << "value " << map.data[i];
      ASSERT_EQ(now.data[i], 255) << "value " << map.data[i];
      ++overflows;
    } else {
      ASSERT_EQ(now.data[i], former.data[i]) << "value " << map.data[i] << " at " << i;
    }
  }
  if (overflows == 0) {
    EXPECT_TRUE(same_bytes(now, former));
  }
}

void check_stage_modes(bool extremes) {
  for (const auto& map : test_maps(extremes)) {
    for (const auto mode : {config::Normalize::None, config::Normalize::AbsScale,
                            config::Normalize::Clamp, config::Normalize::MinMax}) {
      for (const float scale : {1.0f, 0.5f, 0.3f, 3.0f, 0.0f, -0.25f}) {
        for (const std::optional<float> threshold : {std::optional<float>{}, std::optional(100.0f),
                                                     std::optional(-5.0f), std::optional(0.0f)}) {
          for (const bool to_u8 : {false, true}) {
            config::PostSpec post;
            post.normalize = mode;
            post.scale = scale;
            post.threshold = threshold;
            post.to_u8 = to_u8;
            SCOPED_TRACE(config::to_string(mode) + " scale " + std::to_string(scale) +
                         " threshold " + (threshold ? std::to_string(*threshold) : "none") +
                         (to_u8 ? " to_u8" : "") + " on " + std::to_string(map.width) + "x" +
                         std::to_string(map.height) + "x" + std::to_string(map.channels));
            expect_former_bytes(map, post);
          }
        }
      }
    }
  }
}

TEST(PostIdentity, StageGivesTheFormerBytesForEveryModeOnModerateValues) {
  check_stage_modes(false);
}

TEST(PostIdentity, StageGivesTheFormerBytesOnExtremesButSaturatesBeyondTwoToThe31) {
  check_stage_modes(true);
}

std::string trace(conv::ToU8 mode, float scale, const conv::FeatureMap& map) {
  return std::to_string(static_cast<int>(mode)) + " scale " + std::to_string(scale) + " on " +
         std::to_string(map.width) + "x" + std::to_string(map.height) + "x" +
         std::to_string(map.channels);
}

TEST(PostIdentity, ToU8GivesTheFormerBytesAndTheStagesForEveryMode) {
  const std::pair<conv::ToU8, config::Normalize> modes[] = {
      {conv::ToU8::AbsScale, config::Normalize::AbsScale},
      {conv::ToU8::Clamp, config::Normalize::Clamp},
      {conv::ToU8::MinMax, config::Normalize::MinMax}};
  for (const auto& map : test_maps(false)) {
    for (const auto& [mode, normalize] : modes) {
      for (const float scale : {1.0f, 0.5f, 0.3f, 3.0f, 0.0f, -0.25f}) {
        SCOPED_TRACE(trace(mode, scale, map));
        const auto now = conv::to_u8(map, mode, scale);
        EXPECT_EQ(now, former_to_u8(map, mode, scale));
        config::PostSpec post;
        post.normalize = normalize;
        post.scale = scale;
        const cv::Mat stage = stage_post(map, post);
        EXPECT_EQ(now, std::vector<unsigned char>(stage.data, stage.data + now.size()));
      }
    }
  }
}

// With extremes, abs_scale and clamp keep their bytes; minmax, whose range
// overflowed a float (FLT_MAX - -FLT_MAX) and gave a black picture, now
// stretches in double as the stage always did.
TEST(PostIdentity, ToU8OnExtremesKeepsItsBytesAndMinMaxStretchesAsTheStage) {
  for (const auto& map : test_maps(true)) {
    for (const float scale : {1.0f, 0.5f, 3.0f, -0.25f}) {
      for (const auto mode : {conv::ToU8::AbsScale, conv::ToU8::Clamp}) {
        SCOPED_TRACE(trace(mode, scale, map));
        EXPECT_EQ(conv::to_u8(map, mode, scale), former_to_u8(map, mode, scale));
      }
      SCOPED_TRACE(trace(conv::ToU8::MinMax, scale, map));
      config::PostSpec post;
      post.normalize = config::Normalize::MinMax;
      const cv::Mat stage = former_stage_post(stages::as_mat(map), post);
      EXPECT_EQ(
          conv::to_u8(map, conv::ToU8::MinMax, scale),
          std::vector<unsigned char>(stage.data, stage.data + stage.total() * stage.elemSize()));
    }
  }
}

}  // namespace
}  // namespace conveyor::pipeline
