// Direct (non-separable) filters with stride_y 1 compute two output rows per
// pass, sharing the loads of the input rows both read (row_pair). A pair must
// give the bytes of two single rows: a tile height of 1 never pairs, odd
// heights leave a single row at the end of each tile. Dense and sparse kernels
// (whose zero taps split the shared loop into runs), widths across the
// six-, two- and one-vector loops, and images with exact zeros (the sign of a
// zero sum must not change) are covered; the reference checks the values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "conv_test_support.hpp"

namespace conveyor::conv::test {
namespace {

// Zeros over the left half of an f32 image. With all weights negative every
// product there is -0, and the sum is -0 only if it starts from a product (or
// from -0): a loop that starts from +0 gives +0 and is caught.
void zero_left_half(OwnedImage& image) {
  const ImageView& v = image.view;
  if (v.type != PixelType::F32) return;
  for (int y = 0; y < v.height; ++y) {
    auto* row = const_cast<std::uint8_t*>(v.data) + static_cast<std::size_t>(y) * v.stride_bytes;
    for (int x = 0; x < v.width / 2 * v.channels; ++x) {
      const float zero = 0.0f;
      std::memcpy(row + sizeof(float) * static_cast<std::size_t>(x), &zero, sizeof zero);
    }
  }
}

TEST(RowPairs, BitwiseEqualToSingleRowsAndNearTheReference) {
  std::mt19937 rng(47);
  constexpr Border kBorders[] = {Border::Valid, Border::Zero, Border::Replicate, Border::Reflect,
                                 Border::Wrap};
  for (int round = 0; round < 30; ++round) {
    const int kw = std::uniform_int_distribution<int>(1, 12)(rng);
    const int kh = std::uniform_int_distribution<int>(2, 12)(rng);
    const int channels = round % 4 == 3 ? 3 : 1;
    const PixelType type = round % 5 == 2 ? PixelType::U8 : PixelType::F32;
    const int width = std::uniform_int_distribution<int>(kw, 230)(rng);
    const int height = std::uniform_int_distribution<int>(kh, 27)(rng);
    OwnedImage image = random_image(rng, width, height, channels, type, {3, 1, 7});
    if (round % 2 == 0) zero_left_half(image);
    Filter f;
    f.name = "direct";
    f.kernel = random_kernel(rng, kw, kh, round % 3 == 0 ? KernelStyle::Sparse : KernelStyle::Dense,
                             round % 4 == 1);
    if (round % 2 == 0) {
      for (float& w : f.kernel.weights) w = -std::abs(w);
    }
    f.stride_x = 1 + round % 3;
    f.border = kBorders[round % 5];
    SCOPED_TRACE(describe(f) + " on " + describe(image.view));
    const BankPlan plan({f}, {width, height, channels, type}, {1, 0, 1});
    ASSERT_FALSE(plan.info().filters[0].separable);
    expect_row_pairs_match_single_rows(f, image.view);
  }
}

}  // namespace
}  // namespace conveyor::conv::test
