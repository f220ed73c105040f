// Row passes of one border group whose taps are a subset of another pass's
// (Sobel's [-1 0 1] inside [1 2 1], a 5-tap Gaussian inside a 7-tap box) run in
// one loop sharing loads. Every map must be the bytes of a one-filter plan and
// near the reference, over row factors with zeros anywhere, anchors, strides,
// borders, channels, u8/f32, and sizes beyond the fixed loops (up to 11 taps).
#include <gtest/gtest.h>

#include <random>

#include "conv_test_support.hpp"
#include "conveyor/conv/reference.hpp"

namespace conveyor::conv::test {
namespace {

std::vector<float> random_factor(std::mt19937& rng, int size) {
  std::uniform_real_distribution<float> weight(0.25f, 2.0f);
  std::vector<float> factor(static_cast<std::size_t>(size));
  for (float& w : factor) w = std::bernoulli_distribution(0.5)(rng) ? weight(rng) : -weight(rng);
  return factor;
}

TEST(SubsetRowPasses, EachMapEqualsItsOwnPlanAndTheReference) {
  std::mt19937 rng(47);
  int both_separable = 0;
  constexpr Border kBorders[] = {Border::Zero, Border::Replicate, Border::Reflect, Border::Wrap};
  for (int round = 0; round < 30; ++round) {
    const int size = std::uniform_int_distribution<int>(3, 11)(rng);
    const std::vector<float> big_row = random_factor(rng, size);
    std::vector<float> small_row = random_factor(rng, size);
    for (float& w : small_row) {  // zeros anywhere, at least one tap left
      if (std::bernoulli_distribution(0.4)(rng)) w = 0.0f;
    }
    small_row[static_cast<std::size_t>(round % size)] = 1.5f;
    const int channels = round % 2 == 0 ? 1 : 3;
    const PixelType type = round % 3 == 0 ? PixelType::U8 : PixelType::F32;
    const int width = std::uniform_int_distribution<int>(size, 70)(rng);
    const int height = std::uniform_int_distribution<int>(3, 23)(rng);
    const OwnedImage image = random_image(rng, width, height, channels, type, {2, 1, 4});
    Filter big;
    big.name = "big";
    big.kernel = outer_product(random_factor(rng, 3), big_row);
    big.kernel.anchor_x = size / 2;  // even sizes need a stated anchor
    big.kernel.anchor_y = 1;
    big.border = kBorders[round % 4];
    Filter small = big;
    small.name = "small";
    small.kernel = outer_product(random_factor(rng, 3 + round % 4), small_row);
    small.kernel.anchor_x = size / 2;  // the same column anchor: the passes can pair
    small.kernel.anchor_y = small.kernel.height / 2;
    small.stride_x = 1 + round % 3;
    small.stride_y = 1 + round % 2;
    const std::vector<Filter> bank{small, big};
    const PlanInfo info = BankPlan(bank, {width, height, channels, type}).info();
    both_separable += info.filters[0].separable && info.filters[1].separable ? 1 : 0;
    for (const PlanOptions& options : {PlanOptions{1, 0, 0}, PlanOptions{2, 9, 4}}) {
      expect_bank_maps_match_singles(bank, image.view, options);
    }
  }
  // Small factors with many zeros run cheaper as direct taps; most rounds must
  // still run two row passes, or this test would check nothing shared.
  EXPECT_GE(both_separable, 20);
}

}  // namespace
}  // namespace conveyor::conv::test
