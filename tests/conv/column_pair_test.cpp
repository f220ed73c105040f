// Separable filters with stride_y 1 run their column pass two output rows at
// a time (the rows share loads). Such a pair must give the bytes of two single
// rows, whatever the pairing: a tile height of 1 never pairs, odd heights leave
// a single row at the end of each tile. Column lengths 2..10 cover the fixed
// tap counts (2-8) and the generic fallback; the reference checks the values.
#include <gtest/gtest.h>

#include <random>

#include "conv_test_support.hpp"

namespace conveyor::conv::test {
namespace {

TEST(ColumnPairs, BitwiseEqualToSingleRowsAndNearTheReference) {
  std::mt19937 rng(41);
  constexpr Border kBorders[] = {Border::Valid, Border::Zero, Border::Reflect, Border::Wrap};
  for (int kh = 1; kh <= 10; ++kh) {
    // At least 5 wide: narrower two-row kernels run cheaper as direct taps.
    const int kw = std::uniform_int_distribution<int>(5, 8)(rng);
    const int channels = kh % 2 == 0 ? 1 : 3;
    const int width = std::uniform_int_distribution<int>(kw, 70)(rng);
    const int height = std::uniform_int_distribution<int>(kh, 29)(rng);
    const PixelType type = kh % 3 == 0 ? PixelType::U8 : PixelType::F32;
    const OwnedImage image = random_image(rng, width, height, channels, type, {2, 1, 3});
    Filter f;
    f.name = "separable";
    f.kernel = random_kernel(rng, kw, kh, KernelStyle::Separable);
    f.stride_x = kh % 4 == 1 ? 2 : 1;
    f.border = kBorders[kh % 4];
    SCOPED_TRACE(describe(f) + " on " + describe(image.view));
    if (kh > 1) {  // a 1-row kernel runs as direct taps
      const BankPlan plan({f}, {width, height, channels, type}, {1, 0, 1});
      ASSERT_TRUE(plan.info().filters[0].separable);
    }
    expect_row_pairs_match_single_rows(f, image.view);
  }
}

}  // namespace
}  // namespace conveyor::conv::test
