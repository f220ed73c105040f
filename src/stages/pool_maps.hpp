// Pooling: the layer that follows convolution in a CNN. Each output cell is the
// maximum or the mean of a size_x x size_y window of one map, placed as the
// engine places a kernel of that size (docs/engine.md): same anchor, same
// borders, same output size rule.
#pragma once

#include <opencv2/core.hpp>

#include "conveyor/conv/kernel.hpp"

namespace conveyor::stages {

enum class PoolOp { Max, Average };

struct PoolWindow {
  PoolOp op = PoolOp::Max;
  int size_x = 2;  // 1..conv::kMaxKernelSize
  int size_y = 2;
  int stride_x = 2;  // at least 1; the stage's default is the size
  int stride_y = 2;
  conv::Border border = conv::Border::Valid;
};

// The output size by the engine's rule (conv::output_size for a size_x x
// size_y kernel with these strides and border). 0 on an axis where a `valid`
// window does not fit.
conv::MapSize pool_output_size(const PoolWindow& window, int width, int height);

// Pools one map: CV_8U or CV_32F, 1..4 interleaved channels, any step (a ROI
// is fine). The output keeps the depth and the channels. The window's anchor
// is a kernel's default one ((size - 1) / 2, ignored with `valid`); outside
// pixels follow the border rule, zero padding counting as zeros. `Average`
// divides by the window's area whatever the border; for 8-bit it rounds to
// nearest, halves up. Throws std::invalid_argument for a window size or stride
// out of range, an unsupported type, or an empty result.
cv::Mat pool_map(const cv::Mat& input, const PoolWindow& window);

}  // namespace conveyor::stages
