// Direct (non-separable) filters with the same nonzero taps, rows and strides
// run as one pass sharing their loads (say laplacian and sharpen). Each map must
// be the bytes a one-filter plan gives and near the reference, over tap counts
// 1..12 (the fixed 1-9 and the generic fallback), strides, borders, channels.
#include <gtest/gtest.h>

#include <random>

#include "conv_test_support.hpp"
#include "conveyor/conv/reference.hpp"

namespace conveyor::conv::test {
namespace {

// The same zero pattern as `kernel`, other nonzero weights.
Kernel same_taps(std::mt19937& rng, Kernel kernel) {
  std::uniform_real_distribution<float> weight(0.1f, 2.0f);
  for (float& w : kernel.weights) {
    if (w != 0.0f) w = std::bernoulli_distribution(0.5)(rng) ? weight(rng) : -weight(rng);
  }
  kernel.name += "_twin";
  return kernel;
}

TEST(SharedTaps, EachMapEqualsItsOwnPlanAndTheReference) {
  std::mt19937 rng(43);
  constexpr Border kBorders[] = {Border::Valid, Border::Zero, Border::Replicate, Border::Reflect,
                                 Border::Wrap};
  for (int round = 0; round < 24; ++round) {
    const int kw = std::uniform_int_distribution<int>(1, 5)(rng);
    const int kh = std::uniform_int_distribution<int>(1, 5)(rng);
    const int channels = round % 2 == 0 ? 1 : 3;
    const PixelType type = round % 3 == 0 ? PixelType::U8 : PixelType::F32;
    const int width = std::uniform_int_distribution<int>(kw, 60)(rng);
    const int height = std::uniform_int_distribution<int>(kh, 21)(rng);
    const OwnedImage image = random_image(rng, width, height, channels, type, {1, 2, 5});
    Filter a;
    a.name = "a";
    a.kernel =
        random_kernel(rng, kw, kh, round % 4 == 0 ? KernelStyle::Dense : KernelStyle::Sparse);
    a.stride_x = 1 + round % 3;
    a.stride_y = 1 + round % 2;
    a.border = kBorders[round % 5];
    Filter b = a;
    b.name = "b";
    b.kernel = same_taps(rng, a.kernel);
    Filter other = a;  // same taps, another stride: must not be paired with a
    other.name = "other";
    other.stride_x = a.stride_x + 1;
    const std::vector<Filter> bank{a, other, b};
    for (const PlanOptions& options :
         {PlanOptions{1, 0, 0}, PlanOptions{2, 7, 3}, PlanOptions{2, 0, 0, StreamStores::On}}) {
      expect_bank_maps_match_singles(bank, image.view, options);
    }
  }
}

}  // namespace
}  // namespace conveyor::conv::test
