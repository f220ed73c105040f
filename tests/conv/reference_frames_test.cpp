// Fixed cases beside the random ones: a few full-size odd frames (1279x719:
// many tiles, partial edge tiles, blocks that do not divide the width), the
// independence of results from the memory layout of the view, and banks whose
// separable kernels share a row pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "conv_test_support.hpp"
#include "conveyor/conv/kernel_factory.hpp"
#include "conveyor/conv/reference.hpp"

namespace conveyor::conv::test {
namespace {

Filter make_filter(std::string name, Kernel kernel, Border border, int sx = 1, int sy = 1,
                   bool flip = false) {
  Filter f;
  f.name = std::move(name);
  f.kernel = std::move(kernel);
  f.border = border;
  f.stride_x = sx;
  f.stride_y = sy;
  f.flip = flip;
  return f;
}

void expect_bank_matches_reference(const std::vector<Filter>& bank, const ImageView& input,
                                   PlanOptions options) {
  const BankPlan plan(bank, {input.width, input.height, input.channels, input.type}, options);
  std::vector<FeatureMap> maps;
  plan.run(input, maps);
  ASSERT_EQ(maps.size(), bank.size());
  for (std::size_t i = 0; i < bank.size(); ++i) {
    SCOPED_TRACE(describe(bank[i]) + " on " + describe(input) + ", " + describe(options));
    EXPECT_TRUE(
        maps_near(maps[i], reference_filter(input, bank[i]), tolerance_for(bank[i], input)));
  }
}

TEST(ReferenceFrames, GrayU8At1279x719AllBorders) {
  std::mt19937 rng(21);
  const OwnedImage image = random_image(rng, 1279, 719, 1, PixelType::U8);
  Kernel even = random_kernel(rng, 4, 6, KernelStyle::Dense);
  even.anchor_x = 1;
  even.anchor_y = 4;
  const std::vector<Filter> bank = {
      make_filter("gx", sobel_kernel(1, 0, 3), Border::Reflect),
      make_filter("gy", sobel_kernel(0, 1, 3), Border::Reflect),
      make_filter("blur", gaussian_kernel(5, 0.0), Border::Replicate),
      make_filter("dense", random_kernel(rng, 7, 7, KernelStyle::Dense), Border::Zero, 2, 2),
      make_filter("even", even, Border::Wrap, 3, 2),
      make_filter("valid", random_kernel(rng, 5, 3, KernelStyle::Sparse), Border::Valid, 1, 2),
  };
  expect_bank_matches_reference(bank, image.view, {2, 0, 0});
}

TEST(ReferenceFrames, ColorF32At1279x719InsideBiggerBuffer) {
  std::mt19937 rng(22);
  const OwnedImage image = random_image(rng, 1279, 719, 3, PixelType::F32, {7, 5, 13});
  const std::vector<Filter> bank = {
      make_filter("sep", random_kernel(rng, 5, 3, KernelStyle::Separable), Border::Valid),
      make_filter("flip", random_kernel(rng, 3, 3, KernelStyle::Dense, true), Border::Reflect, 2, 3,
                  true),
  };
  expect_bank_matches_reference(bank, image.view, {2, 0, 0});
}

// The same pixels, packed or inside a padded sub-rectangle: the results must be
// bitwise equal, since the layout only changes where rows start.
TEST(ReferenceFrames, ResultsDoNotDependOnTheViewLayout) {
  std::mt19937 rng(23);
  for (PixelType type : {PixelType::U8, PixelType::F32}) {
    for (int channels : {1, 3}) {
      const OwnedImage packed = random_image(rng, 61, 29, channels, type);
      OwnedImage padded = random_image(rng, 61, 29, channels, type, {3, 2, 5});
      const std::size_t row_bytes = 61 * static_cast<std::size_t>(channels) * pixel_size(type);
      for (int y = 0; y < 29; ++y) {
        std::memcpy(const_cast<std::uint8_t*>(padded.view.row(y)), packed.view.row(y), row_bytes);
      }
      const std::vector<Filter> bank = {
          make_filter("a", random_kernel(rng, 5, 5, KernelStyle::Separable), Border::Reflect),
          make_filter("b", random_kernel(rng, 6, 3, KernelStyle::Dense), Border::Wrap, 2, 1),
          make_filter("c", random_kernel(rng, 3, 7, KernelStyle::Sparse), Border::Valid, 1, 3),
      };
      const InputShape shape{61, 29, channels, type};
      const BankPlan plan(bank, shape, {1, 16, 8});
      std::vector<FeatureMap> from_packed;
      std::vector<FeatureMap> from_padded;
      plan.run(packed.view, from_packed);
      plan.run(padded.view, from_padded);
      for (std::size_t i = 0; i < bank.size(); ++i) {
        SCOPED_TRACE(describe(bank[i]) + " on " + describe(padded.view));
        EXPECT_TRUE(maps_identical(from_padded[i], from_packed[i]));
      }
    }
  }
}

// Two kernels c1 (x) r and c2 (x) r whose largest weights lie in rows equal to r:
// the plan computes the row pass once and both read it.
TEST(ReferenceFrames, SeparableKernelsShareOneRowPass) {
  const std::vector<float> row = {0.25f, -0.5f, 0.75f, 0.5f, -0.125f};
  auto outer = [&](const std::vector<float>& column, const std::string& name) {
    return outer_product(column, row, name);
  };
  const std::vector<Filter> bank = {
      make_filter("first", outer({1.0f, 0.5f, -0.25f}, "first"), Border::Reflect),
      make_filter("second", outer({0.5f, 1.0f, 0.5f, -0.75f, 0.25f}, "second"), Border::Reflect),
      make_filter("other_border", outer({0.5f, 1.0f, 0.5f}, "other"), Border::Zero),
  };
  std::mt19937 rng(24);
  const OwnedImage image = random_image(rng, 97, 41, 3, PixelType::F32, {1, 1, 2});
  const BankPlan plan(bank, {97, 41, 3, PixelType::F32}, {2, 32, 8});
  const PlanInfo info = plan.info();
  ASSERT_EQ(info.filters.size(), 3u);
  EXPECT_TRUE(info.filters[0].separable);
  EXPECT_TRUE(info.filters[1].separable);
  EXPECT_GE(info.filters[0].shared_row_pass, 0);
  EXPECT_EQ(info.filters[0].shared_row_pass, info.filters[1].shared_row_pass);
  EXPECT_NE(info.filters[2].shared_row_pass, info.filters[0].shared_row_pass);
  EXPECT_EQ(info.row_passes, 2);
  expect_bank_matches_reference(bank, image.view, {2, 32, 8});
}

// The same row factor placed differently (another anchor, or flipped with an
// off-centre anchor) reads other columns: it must get its own row pass.
TEST(ReferenceFrames, SameRowFactorAtOtherAnchorsIsNotShared) {
  std::mt19937 rng(25);
  const Kernel base = random_kernel(rng, 5, 5, KernelStyle::Separable);
  Kernel left = base;
  left.anchor_x = 0;
  Kernel right = base;
  right.anchor_x = 4;
  right.anchor_y = 1;
  const std::vector<Filter> bank = {
      make_filter("centre", base, Border::Replicate),
      make_filter("left", left, Border::Replicate),
      make_filter("right_flipped", right, Border::Replicate, 1, 1, true),
      make_filter("right", right, Border::Replicate, 2, 1),
  };
  const OwnedImage image = random_image(rng, 45, 21, 1, PixelType::F32);
  expect_bank_matches_reference(bank, image.view, {1, 16, 8});
}

// A rank-1 kernel with one tap nudged by 1e-3 of the largest weight is not
// separable; treating it as separable would be off by far more than rounding.
TEST(ReferenceFrames, NearlySeparableKernelIsComputedExactly) {
  std::mt19937 rng(26);
  Kernel k = random_kernel(rng, 7, 7, KernelStyle::Separable);
  float largest = 0.0f;
  for (float w : k.weights) largest = std::max(largest, std::fabs(w));
  k.weights[17] += 1e-3f * largest;
  const OwnedImage image = random_image(rng, 50, 30, 1, PixelType::F32);
  const Filter f = make_filter("nudged", k, Border::Reflect);
  EXPECT_TRUE(maps_near(run_single(f, image.view), reference_filter(image.view, f),
                        1e-6 * abs_weight_sum(k) * max_abs_pixel(image.view)));
}

}  // namespace
}  // namespace conveyor::conv::test
