// The engine against an independent implementation: cv::filter2D. Borders map
// to zero = BORDER_CONSTANT, replicate = BORDER_REPLICATE, reflect =
// BORDER_REFLECT_101. filter2D rejects BORDER_WRAP, so wrap pads a copy with
// cv::copyMakeBorder(BORDER_WRAP) and filters it with the kernel's top-left
// cell as anchor; valid does the same without padding. Both then crop, and
// strides subsample the stride-1 result.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "conv_test_support.hpp"

namespace conveyor::conv::test {
namespace {

cv::Mat kernel_mat(const Kernel& k) {
  return cv::Mat(k.height, k.width, CV_32F, const_cast<float*>(k.weights.data())).clone();
}

// The correlation of `view` with `kernel` anchored at `anchor`, as OpenCV computes it.
FeatureMap opencv_filter(const ImageView& view, cv::Mat kernel, cv::Point anchor, Border border,
                         int sx, int sy) {
  const cv::Mat src = as_mat(view);
  cv::Mat full;
  if (border == Border::Wrap || border == Border::Valid) {
    cv::Mat padded = src;
    if (border == Border::Wrap) {
      cv::copyMakeBorder(src, padded, anchor.y, kernel.rows - 1 - anchor.y, anchor.x,
                         kernel.cols - 1 - anchor.x, cv::BORDER_WRAP);
    }
    cv::filter2D(padded, full, CV_32F, kernel, cv::Point(0, 0), 0,
                 cv::BORDER_CONSTANT | cv::BORDER_ISOLATED);
    const int w = border == Border::Wrap ? src.cols : src.cols - kernel.cols + 1;
    const int h = border == Border::Wrap ? src.rows : src.rows - kernel.rows + 1;
    full = full(cv::Rect(0, 0, w, h));
  } else {
    const int type = border == Border::Zero        ? cv::BORDER_CONSTANT
                     : border == Border::Replicate ? cv::BORDER_REPLICATE
                                                   : cv::BORDER_REFLECT_101;
    cv::filter2D(src, full, CV_32F, kernel, anchor, 0, type | cv::BORDER_ISOLATED);
  }
  const FeatureMap dense = from_mat(full);
  FeatureMap out((dense.width + sx - 1) / sx, (dense.height + sy - 1) / sy, dense.channels);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      for (int c = 0; c < out.channels; ++c) out.at(y, x, c) = dense.at(y * sy, x * sx, c);
    }
  }
  return out;
}

struct KernelCase {
  int width, height;
  int anchor_x, anchor_y;  // -1: default centre (odd sizes only)
};

constexpr KernelCase kKernels[] = {
    {3, 3, -1, -1}, {5, 5, 1, 3}, {4, 4, 2, 1}, {6, 3, 0, 2}, {1, 7, -1, 6}, {11, 11, -1, -1},
};

Kernel make_case_kernel(std::mt19937& rng, const KernelCase& c) {
  Kernel k = random_kernel(rng, c.width, c.height, KernelStyle::Dense);
  k.anchor_x.reset();
  k.anchor_y.reset();
  if (c.anchor_x >= 0) k.anchor_x = c.anchor_x;
  if (c.anchor_y >= 0) k.anchor_y = c.anchor_y;
  return k;
}

class AgainstFilter2D : public ::testing::TestWithParam<std::tuple<Border, PixelType, int>> {};

TEST_P(AgainstFilter2D, OddAndEvenKernelsWithAnchorsAndStrides) {
  const auto [border, type, channels] = GetParam();
  const unsigned seed = 51;
  std::mt19937 rng(seed);
  const OwnedImage image = random_image(rng, 67, 45, channels, type, {2, 3, 5});
  for (const KernelCase& c : kKernels) {
    for (auto [sx, sy] : {std::pair{1, 1}, {2, 3}}) {
      Filter f;
      f.name = "f";
      f.kernel = make_case_kernel(rng, c);
      f.border = border;
      f.stride_x = sx;
      f.stride_y = sy;
      SCOPED_TRACE("seed " + std::to_string(seed) + " " + describe(f) + " on " +
                   describe(image.view));
      const bool valid = border == Border::Valid;
      const cv::Point anchor(valid ? 0 : f.kernel.anchor_col(), valid ? 0 : f.kernel.anchor_row());
      const FeatureMap want =
          opencv_filter(image.view, kernel_mat(f.kernel), anchor, border, sx, sy);
      EXPECT_TRUE(maps_near(run_single(f, image.view), want, tolerance_for(f, image.view)));
    }
  }
}

// flip = true convolution: OpenCV's recipe is filter2D with the kernel rotated
// by 180 degrees (cv::flip(k, k, -1)) and the anchor mirrored.
TEST_P(AgainstFilter2D, FlipIsFilter2DWithTheRotatedKernel) {
  const auto [border, type, channels] = GetParam();
  const unsigned seed = 52;
  std::mt19937 rng(seed);
  const OwnedImage image = random_image(rng, 53, 38, channels, type, {1, 1, 2});
  for (const KernelCase& c : kKernels) {
    Filter f;
    f.name = "flipped";
    f.kernel = make_case_kernel(rng, c);
    f.border = border;
    f.flip = true;
    SCOPED_TRACE("seed " + std::to_string(seed) + " " + describe(f) + " on " +
                 describe(image.view));
    cv::Mat rotated = kernel_mat(f.kernel);
    cv::flip(rotated, rotated, -1);
    const bool valid = border == Border::Valid;
    const cv::Point anchor(valid ? 0 : f.kernel.width - 1 - f.kernel.anchor_col(),
                           valid ? 0 : f.kernel.height - 1 - f.kernel.anchor_row());
    const FeatureMap want = opencv_filter(image.view, rotated, anchor, border, 1, 1);
    EXPECT_TRUE(maps_near(run_single(f, image.view), want, tolerance_for(f, image.view)));
  }
}

INSTANTIATE_TEST_SUITE_P(Borders, AgainstFilter2D,
                         ::testing::Combine(::testing::Values(Border::Valid, Border::Zero,
                                                              Border::Replicate, Border::Reflect,
                                                              Border::Wrap),
                                            ::testing::Values(PixelType::U8, PixelType::F32),
                                            ::testing::Values(1, 3)),
                         [](const auto& param_info) {
                           return to_string(std::get<0>(param_info.param)) + "_" +
                                  to_string(std::get<1>(param_info.param)) + "_" +
                                  std::to_string(std::get<2>(param_info.param)) + "ch";
                         });

// Images smaller than the kernel: the border rule is applied again and again
// (reflect bounces, wrap cycles). The reference shares the engine's border
// code, so OpenCV is the independent check here.
TEST(AgainstFilter2DTiny, KernelsLargerThanTheImage) {
  const unsigned seed = 54;
  std::mt19937 rng(seed);
  const std::pair<int, int> sizes[] = {{1, 1}, {2, 3}, {3, 2}, {4, 5}};
  for (auto [width, height] : sizes) {
    for (Border border : {Border::Zero, Border::Replicate, Border::Reflect, Border::Wrap}) {
      for (int channels : {1, 3}) {
        const PixelType type = channels == 1 ? PixelType::F32 : PixelType::U8;
        const OwnedImage image = random_image(rng, width, height, channels, type);
        for (const KernelCase& c : {KernelCase{7, 5, 1, 4}, KernelCase{11, 11, -1, -1}}) {
          Filter f;
          f.name = "tiny";
          f.kernel = make_case_kernel(rng, c);
          f.border = border;
          SCOPED_TRACE("seed " + std::to_string(seed) + " " + describe(f) + " on " +
                       describe(image.view));
          const cv::Point anchor(f.kernel.anchor_col(), f.kernel.anchor_row());
          const FeatureMap want =
              opencv_filter(image.view, kernel_mat(f.kernel), anchor, border, 1, 1);
          EXPECT_TRUE(maps_near(run_single(f, image.view), want, tolerance_for(f, image.view)));
        }
      }
    }
  }
}

TEST(Flipped, EqualsCvFlipWithMirroredAnchor) {
  std::mt19937 rng(53);
  Kernel k = random_kernel(rng, 6, 4, KernelStyle::Dense);
  k.anchor_x = 1;
  k.anchor_y = 3;
  const Kernel f = flipped(k);
  cv::Mat rotated = kernel_mat(k);
  cv::flip(rotated, rotated, -1);
  EXPECT_EQ(cv::norm(kernel_mat(f), rotated, cv::NORM_INF), 0.0);
  EXPECT_EQ(f.anchor_col(), 4);
  EXPECT_EQ(f.anchor_row(), 0);
}

}  // namespace
}  // namespace conveyor::conv::test
