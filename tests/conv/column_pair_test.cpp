// Separable filters with stride_y 1 run their column pass two output rows at
// a time (the rows share loads). Such a pair must give the bytes of two single
// rows, whatever the pairing: a tile height of 1 never pairs, odd heights leave
// a single row at the end of each tile. Column lengths 2..10 cover the fixed
// tap counts (2-8) and the generic fallback; the reference checks the values.
#include <gtest/gtest.h>

#include <random>

#include "conv_test_support.hpp"
#include "conveyor/conv/reference.hpp"

namespace conveyor::conv::test {
namespace {

TEST(ColumnPairs, BitwiseEqualToSingleRowsAndNearTheReference) {
  std::mt19937 rng(41);
  constexpr Border kBorders[] = {Border::Valid, Border::Zero, Border::Reflect, Border::Wrap};
  for (int kh = 1; kh <= 10; ++kh) {
    const int kw = std::uniform_int_distribution<int>(3, 7)(rng);
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
    const BankPlan single({f}, {width, height, channels, type}, {1, 0, 1});
    if (kh > 1) {  // a 1-row kernel runs as direct taps
      ASSERT_TRUE(single.info().filters[0].separable);
    }
    std::vector<FeatureMap> want;
    single.run(image.view, want);
    EXPECT_TRUE(maps_near(want[0], reference_filter(image.view, f), tolerance_for(f, image.view)));
    for (const PlanOptions& options :
         {PlanOptions{1, 0, 0}, PlanOptions{2, 0, 3}, PlanOptions{2, 17, 5},
          PlanOptions{1, 0, 2, StreamStores::On}}) {
      SCOPED_TRACE(describe(options));
      std::vector<FeatureMap> got;
      BankPlan({f}, {width, height, channels, type}, options).run(image.view, got);
      EXPECT_TRUE(maps_identical(got[0], want[0]));
    }
  }
}

}  // namespace
}  // namespace conveyor::conv::test
