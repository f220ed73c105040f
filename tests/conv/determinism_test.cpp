// The plan promises bitwise identical results for every thread count and tile
// size: every pixel sees the same operation sequence wherever its tile lies.
// Checked with memcmp on banks that mix every path (separable with a shared row
// pass, direct, zero taps, strides, every border, flip) and both pixel types.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "conv_test_support.hpp"
#include "conveyor/conv/kernel_factory.hpp"

namespace conveyor::conv::test {
namespace {

std::vector<Filter> mixed_bank(std::mt19937& rng) {
  std::vector<Filter> bank;
  auto add = [&](Kernel k, Border border, int sx, int sy, bool flip) {
    Filter f;
    f.name = "f" + std::to_string(bank.size());
    f.kernel = std::move(k);
    f.border = border;
    f.stride_x = sx;
    f.stride_y = sy;
    f.flip = flip;
    bank.push_back(std::move(f));
  };
  add(sobel_kernel(1, 0, 5), Border::Reflect, 1, 1, false);
  add(sobel_kernel(0, 1, 5), Border::Reflect, 1, 1, false);
  add(sobel_kernel(1, 0, 5), Border::Reflect, 2, 2, false);  // shares the first row pass
  add(gaussian_kernel(7, 1.5), Border::Replicate, 1, 1, false);
  add(random_kernel(rng, 9, 9, KernelStyle::Dense), Border::Zero, 2, 2, true);
  add(random_kernel(rng, 6, 4, KernelStyle::Sparse), Border::Wrap, 3, 1, true);
  add(random_kernel(rng, 5, 5, KernelStyle::AllZero), Border::Reflect, 1, 1, false);
  add(random_kernel(rng, 31, 3, KernelStyle::Separable), Border::Valid, 1, 2, false);
  add(random_kernel(rng, 1, 1, KernelStyle::Dense), Border::Wrap, 4, 3, false);
  return bank;
}

constexpr auto kOn = StreamStores::On;
const PlanOptions kVariants[] = {
    {1, 0, 0},   {2, 0, 0},      {4, 0, 0},      {1, 1, 1},       {2, 1, 1},
    {4, 3, 5},   {2, 17, 9},     {4, 17, 9},     {1, 64, 3},      {2, 500, 64},
    {4, 1, 200}, {1, 0, 0, kOn}, {2, 3, 5, kOn}, {2, 17, 9, kOn},
};

class BitwiseDeterminism
    : public ::testing::TestWithParam<std::tuple<PixelType, int /*channels*/>> {};

TEST_P(BitwiseDeterminism, AnyThreadCountAndTileGiveIdenticalBytes) {
  const auto [type, channels] = GetParam();
  const unsigned seed = 31;
  std::mt19937 rng(seed);
  const OwnedImage image = random_image(rng, 203, 117, channels, type, {3, 2, 7});
  const std::vector<Filter> bank = mixed_bank(rng);
  const InputShape shape{203, 117, channels, type};

  std::vector<FeatureMap> baseline;
  const BankPlan reference_plan(bank, shape, {1, 0, 0});
  const PlanInfo info = reference_plan.info();
  ASSERT_GE(info.filters[0].shared_row_pass, 0);
  ASSERT_EQ(info.filters[2].shared_row_pass, info.filters[0].shared_row_pass);
  reference_plan.run(image.view, baseline);
  for (const PlanOptions& options : kVariants) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " " + describe(image.view) + " " +
                 describe(options));
    const BankPlan plan(bank, shape, options);
    std::vector<FeatureMap> maps;
    plan.run(image.view, maps);
    ASSERT_EQ(maps.size(), baseline.size());
    for (std::size_t i = 0; i < maps.size(); ++i) {
      EXPECT_TRUE(maps_identical(maps[i], baseline[i])) << describe(bank[i]);
    }
    // Running the same plan again reuses its scratch and the output buffers.
    plan.run(image.view, maps);
    for (std::size_t i = 0; i < maps.size(); ++i) {
      EXPECT_TRUE(maps_identical(maps[i], baseline[i])) << "second run: " << describe(bank[i]);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Inputs, BitwiseDeterminism,
                         ::testing::Combine(::testing::Values(PixelType::U8, PixelType::F32),
                                            ::testing::Values(1, 3)));

// A full 720p bank whose maps exceed the caches: streaming (non-temporal)
// stores where rows are aligned, plain stores where a tile starts at an
// unaligned column, plain stores everywhere when streaming is off. All the same bytes.
TEST(BitwiseDeterminism, StreamedAndCachedStoresGiveIdenticalBytes) {
  std::mt19937 rng(33);
  const OwnedImage image = random_image(rng, 1280, 720, 1, PixelType::U8);
  const std::vector<Filter> bank = mixed_bank(rng);
  const InputShape shape{1280, 720, 1, PixelType::U8};
  std::vector<FeatureMap> baseline;
  BankPlan(bank, shape, {1, 0, 0, StreamStores::Off}).run(image.view, baseline);
  for (const PlanOptions& options :
       {PlanOptions{2, 0, 0}, PlanOptions{2, 0, 0, kOn}, PlanOptions{4, 0, 0, kOn},
        PlanOptions{2, 17, 9, kOn}, PlanOptions{2, 3, 5, kOn}, PlanOptions{2, 1280, 1, kOn},
        PlanOptions{2, 100, 7, StreamStores::Off}}) {
    SCOPED_TRACE("seed 33 " + describe(options));
    std::vector<FeatureMap> maps;
    BankPlan(bank, shape, options).run(image.view, maps);
    for (std::size_t i = 0; i < maps.size(); ++i) {
      EXPECT_TRUE(maps_identical(maps[i], baseline[i])) << describe(bank[i]);
    }
  }
}

// A pipeline keeps several frames in flight through one plan: concurrent
// run() calls on different frames must not share per-thread scratch.
TEST(BitwiseDeterminism, ConcurrentRunsOnOnePlan) {
  std::mt19937 rng(34);
  const InputShape shape{157, 91, 3, PixelType::U8};
  const std::vector<Filter> bank = mixed_bank(rng);
  std::vector<OwnedImage> frames;
  for (int i = 0; i < 4; ++i) frames.push_back(random_image(rng, 157, 91, 3, PixelType::U8));
  for (PlanOptions options : {PlanOptions{0, 32, 16}, PlanOptions{2, 17, 9}}) {
    SCOPED_TRACE("seed 34 " + describe(options));
    const BankPlan plan(bank, shape, options);
    std::vector<std::vector<FeatureMap>> serial(frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) plan.run(frames[i].view, serial[i]);
    std::vector<std::vector<FeatureMap>> parallel(frames.size());
    std::vector<std::thread> callers;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      callers.emplace_back([&, i] {
        for (int repeat = 0; repeat < 5; ++repeat) plan.run(frames[i].view, parallel[i]);
      });
    }
    for (std::thread& t : callers) t.join();
    for (std::size_t i = 0; i < frames.size(); ++i) {
      for (std::size_t m = 0; m < bank.size(); ++m) {
        EXPECT_TRUE(maps_identical(parallel[i][m], serial[i][m]))
            << "frame " << i << ", " << describe(bank[m]);
      }
    }
  }
}

// The combined map too: fused per tile, it must not depend on the schedule either.
TEST(BitwiseDeterminism, CombinedMapIsScheduleIndependent) {
  std::mt19937 rng(32);
  const OwnedImage image = random_image(rng, 211, 97, 1, PixelType::U8);
  std::vector<Filter> bank(2);
  bank[0].name = "gx";
  bank[0].kernel = sobel_kernel(1, 0, 3);
  bank[1].name = "gy";
  bank[1].kernel = sobel_kernel(0, 1, 3);
  const InputShape shape{211, 97, 1, PixelType::U8};
  FeatureMap baseline;
  BankPlan(bank, shape, {1, 0, 0}).run_combined(image.view, {CombineOp::Magnitude, {}}, baseline);
  for (const PlanOptions& options : kVariants) {
    SCOPED_TRACE(describe(options));
    FeatureMap map;
    BankPlan(bank, shape, options).run_combined(image.view, {CombineOp::Magnitude, {}}, map);
    EXPECT_TRUE(maps_identical(map, baseline));
  }
}

// The exact int16 path (u8, small integer kernels): maps and fused combines on
// 3 channels with strides, for every schedule.
TEST(BitwiseDeterminism, IntegerPathIsScheduleIndependent) {
  std::mt19937 rng(35);
  const OwnedImage image = random_image(rng, 203, 117, 3, PixelType::U8, {1, 2, 3});
  std::vector<Filter> bank;
  for (const Kernel& k : {sobel_kernel(1, 0, 3), sobel_kernel(0, 1, 3),
                          make_kernel({{1, 1, 1}, {1, -8, 1}, {1, 1, 1}}, "laplacian8"),
                          make_kernel({{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}}, "sharpen")}) {
    Filter f;
    f.name = k.name;
    f.kernel = k;
    f.border = Border::Wrap;
    f.stride_x = 2;
    f.stride_y = 3;
    bank.push_back(f);
  }
  const InputShape shape{203, 117, 3, PixelType::U8};
  const BankPlan reference_plan(bank, shape, {1, 0, 0});
  ASSERT_TRUE(reference_plan.info().integer_path);
  std::vector<FeatureMap> baseline;
  reference_plan.run(image.view, baseline);
  FeatureMap baseline_combined;
  reference_plan.run_combined(image.view, {CombineOp::MaxAbs, {}}, baseline_combined);
  for (const PlanOptions& options : kVariants) {
    SCOPED_TRACE("seed 35 " + describe(options));
    const BankPlan plan(bank, shape, options);
    std::vector<FeatureMap> maps;
    plan.run(image.view, maps);
    for (std::size_t i = 0; i < maps.size(); ++i) {
      EXPECT_TRUE(maps_identical(maps[i], baseline[i])) << describe(bank[i]);
    }
    FeatureMap combined;
    plan.run_combined(image.view, {CombineOp::MaxAbs, {}}, combined);
    EXPECT_TRUE(maps_identical(combined, baseline_combined));
  }
}

}  // namespace
}  // namespace conveyor::conv::test
