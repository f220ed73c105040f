// Turning f32 feature maps into pictures: the one post step of the engine,
// used by `conveyor apply` (to_u8) and by a pipeline's `post` (post_process).
//
//   abs_scale: |v| * scale        clamp: v * scale, cut to [0, 255]
//   minmax:    stretched so the smallest value -> 0 and the largest -> 255
//   none:      v * scale (kept as f32 unless to_u8)
//   threshold: after the above, v > t -> 255, else 0
// 8-bit values are rounded half to even (as OpenCV's saturate_cast) and
// saturated: below 0 (and NaN) -> 0, above 255 (and +inf) -> 255. minmax
// computes its scale and offset as cv::normalize does (in double, then as
// floats) and applies them with one fused multiply-add, so it gives the
// bytes OpenCV gives on a CPU with FMA, on every CPU.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "conveyor/conv/image.hpp"

namespace conveyor::conv {

enum class ToU8 {
  AbsScale,  // |v| * scale, saturated (cv::convertScaleAbs)
  Clamp,     // v * scale, clamped to [0, 255]
  MinMax,    // linearly stretched so min -> 0 and max -> 255
};
std::optional<ToU8> parse_to_u8(const std::string& text);

struct PostStep {
  std::optional<ToU8> normalize;   // none: v * scale
  float scale = 1.0f;              // not used by minmax
  std::optional<float> threshold;  // after normalizing: v > t -> 255, else 0
  bool to_u8 = false;              // 8-bit even without a normalize
  // The result is 8-bit with any normalize or to_u8, else f32.
  bool gives_u8() const { return to_u8 || normalize.has_value(); }
};

// Applies `step` to every value of `map`, into `out` with room for
// map.data.size() values: unsigned char when step.gives_u8(), else float.
void post_process(const FeatureMap& map, const PostStep& step, unsigned char* out);
void post_process(const FeatureMap& map, const PostStep& step, float* out);

// Converts to 8-bit with the same channel count (row-packed, width*channels
// bytes per row): post_process with the mode and scale alone.
std::vector<unsigned char> to_u8(const FeatureMap& map, ToU8 mode, float scale = 1.0f);

// The same over values held elsewhere (a cv::Mat's continuous f32 buffer),
// without copying them into a FeatureMap. The layout does not matter: every
// step treats each value alone (minmax takes the extremes of them all).
void post_process(std::span<const float> values, const PostStep& step, unsigned char* out);
void post_process(std::span<const float> values, const PostStep& step, float* out);
std::vector<unsigned char> to_u8(std::span<const float> values, ToU8 mode, float scale = 1.0f);

}  // namespace conveyor::conv
