// The post step (see conveyor/conv/post.hpp): the factors are chosen here,
// the values go through one vector loop (post_simd.hpp) in whole blocks; the
// last partial block goes through a padded copy, so every value gets the
// same operations wherever it stands.
#include "conveyor/conv/post.hpp"

#include <algorithm>
#include <array>
#include <cfloat>

#include "conv/post_simd.hpp"
#include "conv/simd_kernels.hpp"

namespace conveyor::conv {
namespace {

using detail::PostRow;
using detail::PostValue;

// The smallest and largest value, NaN left out.
void min_max(std::span<const float> values, float& lo, float& hi) {
  const int total = static_cast<int>(values.size());
  const int whole = total / detail::kBlock * detail::kBlock;
  detail::min_max(values.data(), whole, lo, hi);
  for (int i = whole; i < total; ++i) {
    const float v = values[static_cast<std::size_t>(i)];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
}

// cv::normalize(NORM_MINMAX, 0, 255, CV_32F): the scale in double, then both
// factors as floats; a flat map (range <= DBL_EPSILON) maps to 0.
void minmax_factors(std::span<const float> values, float& scale, float& offset) {
  scale = 0.0f;
  offset = 0.0f;
  float low = 0.0f;
  float high = 0.0f;
  min_max(values, low, high);
  if (!(low <= high)) return;  // empty, or nothing but NaN
  const double lo = low;
  const double hi = high;
  const double stretch = 255.0 * (hi - lo > DBL_EPSILON ? 1.0 / (hi - lo) : 0.0);
  scale = static_cast<float>(stretch);
  offset = 0.0f - static_cast<float>(lo * static_cast<double>(scale));
}

PostRow row_for(std::span<const float> values, const PostStep& step) {
  PostRow row;
  row.a = step.scale;
  row.threshold = step.threshold.has_value();
  row.t = step.threshold.value_or(0.0f);
  if (!step.normalize) {
    row.value = step.scale == 1.0f ? PostValue::Copy : PostValue::Scale;
    return row;
  }
  switch (*step.normalize) {
    case ToU8::AbsScale:
      row.value = PostValue::AbsScale;
      break;
    case ToU8::Clamp:
      row.value = PostValue::Clamp;
      break;
    case ToU8::MinMax:
      row.value = PostValue::Fused;
      minmax_factors(values, row.a, row.b);
      break;
  }
  return row;
}

template <class Out, class Loop>
void run(std::span<const float> values, const PostStep& step, Out* out, Loop loop) {
  const PostRow row = row_for(values, step);
  const int total = static_cast<int>(values.size());
  const int whole = total / detail::kBlock * detail::kBlock;
  loop(values.data(), row, out, whole);
  if (whole == total) return;
  std::array<float, detail::kBlock> padded{};
  std::array<Out, detail::kBlock> result{};
  std::copy(values.begin() + whole, values.end(), padded.begin());
  loop(padded.data(), row, result.data(), detail::kBlock);
  std::copy_n(result.begin(), total - whole, out + whole);
}

}  // namespace

std::optional<ToU8> parse_to_u8(const std::string& text) {
  if (text == "abs_scale") return ToU8::AbsScale;
  if (text == "clamp") return ToU8::Clamp;
  if (text == "minmax") return ToU8::MinMax;
  return std::nullopt;
}

void post_process(std::span<const float> values, const PostStep& step, unsigned char* out) {
  run(values, step, out, detail::post_row_u8);
}

void post_process(std::span<const float> values, const PostStep& step, float* out) {
  run(values, step, out, detail::post_row_f32);
}

void post_process(const FeatureMap& map, const PostStep& step, unsigned char* out) {
  post_process(std::span<const float>(map.data), step, out);
}

void post_process(const FeatureMap& map, const PostStep& step, float* out) {
  post_process(std::span<const float>(map.data), step, out);
}

std::vector<unsigned char> to_u8(std::span<const float> values, ToU8 mode, float scale) {
  std::vector<unsigned char> out(values.size());
  post_process(values, PostStep{mode, scale, std::nullopt, true}, out.data());
  return out;
}

std::vector<unsigned char> to_u8(const FeatureMap& map, ToU8 mode, float scale) {
  return to_u8(std::span<const float>(map.data), mode, scale);
}

}  // namespace conveyor::conv
