// The vector loop of the post step (post.cpp), compiled per instruction set
// like simd_kernels.hpp. n is a multiple of kBlock: callers pad the tail.
#pragma once

#include <cstddef>

namespace conveyor::conv::detail {

enum class PostValue { Copy, Scale, AbsScale, Clamp, Fused };

struct PostRow {
  PostValue value = PostValue::Copy;
  float a = 1.0f;  // the scale
  float b = 0.0f;  // Fused only: v * a + b with one rounding
  bool threshold = false;
  float t = 0.0f;
};

// out[i] = the row's value of in[i], thresholded (255 or 0), as 8-bit
// (rounded half to even, saturated, NaN -> 0) or as f32.
void post_row_u8(const float* in, const PostRow& row, unsigned char* out, int n);
void post_row_f32(const float* in, const PostRow& row, float* out, int n);

// The smallest and largest of in[0, n), NaN left out (+inf and -inf when all
// are NaN). n is a multiple of kBlock.
void min_max(const float* in, int n, float& lo, float& hi);

}  // namespace conveyor::conv::detail
