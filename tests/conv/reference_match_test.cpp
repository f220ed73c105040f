// The fast paths (tiles, padded copies, shared row passes, SIMD) against the
// plain reference, on random awkward cases: tiny and odd sizes, sizes smaller
// than the kernel, padded views, every border, stride, kernel style and size.
// Each seed is its own test so a failure names it; every case traces itself.
#include <gtest/gtest.h>

#include <random>

#include "conv_test_support.hpp"
#include "conveyor/conv/combine.hpp"
#include "conveyor/conv/errors.hpp"
#include "conveyor/conv/reference.hpp"

namespace conveyor::conv::test {
namespace {

constexpr int kCasesPerSeed = 12;
constexpr Border kBorders[] = {Border::Valid, Border::Zero, Border::Replicate, Border::Reflect,
                               Border::Wrap};
constexpr KernelStyle kStyles[] = {KernelStyle::Dense,   KernelStyle::Sparse,
                                   KernelStyle::AllZero, KernelStyle::Separable,
                                   KernelStyle::Integer, KernelStyle::SmallInteger};

template <typename T, std::size_t N>
T pick(std::mt19937& rng, const T (&values)[N]) {
  return values[std::uniform_int_distribution<std::size_t>(0, N - 1)(rng)];
}

int pick_kernel_size(std::mt19937& rng) {
  // 31 is the largest allowed; rarer because the reference is slow for it.
  if (std::uniform_int_distribution<int>(0, 15)(rng) == 0) return 31;
  return std::uniform_int_distribution<int>(1, 15)(rng);
}

Filter random_filter(std::mt19937& rng, const std::string& name) {
  Filter f;
  f.name = name;
  const int kw = pick_kernel_size(rng);
  const int kh = std::bernoulli_distribution(0.7)(rng) ? kw : pick_kernel_size(rng);
  f.kernel = random_kernel(rng, kw, kh, pick(rng, kStyles), std::bernoulli_distribution(0.3)(rng));
  f.stride_x = std::uniform_int_distribution<int>(1, 4)(rng);
  f.stride_y = std::bernoulli_distribution(0.5)(rng)
                   ? f.stride_x
                   : std::uniform_int_distribution<int>(1, 4)(rng);
  f.border = pick(rng, kBorders);
  f.flip = std::bernoulli_distribution(0.3)(rng);
  return f;
}

OwnedImage random_input(std::mt19937& rng) {
  static constexpr int kWidths[] = {1, 2, 3, 5, 7, 11, 16, 17, 31, 33, 47, 64, 65, 97};
  static constexpr int kHeights[] = {1, 2, 3, 4, 6, 9, 13, 17, 25, 40};
  const int channels = std::bernoulli_distribution(0.5)(rng) ? 1 : 3;
  const PixelType type = std::bernoulli_distribution(0.5)(rng) ? PixelType::U8 : PixelType::F32;
  ImageLayout layout;
  if (std::bernoulli_distribution(0.5)(rng)) {  // a sub-rectangle of a bigger, padded buffer
    layout.margin_x = std::uniform_int_distribution<int>(0, 5)(rng);
    layout.margin_y = std::uniform_int_distribution<int>(0, 3)(rng);
    layout.pad = std::uniform_int_distribution<int>(1, 9)(rng);
  }
  return random_image(rng, pick(rng, kWidths), pick(rng, kHeights), channels, type, layout);
}

PlanOptions random_options(std::mt19937& rng) {
  PlanOptions options;
  options.threads = std::uniform_int_distribution<int>(1, 2)(rng);
  if (std::bernoulli_distribution(0.5)(rng)) {  // else automatic tiles
    options.tile_width = std::uniform_int_distribution<int>(1, 40)(rng);
    options.tile_height = std::uniform_int_distribution<int>(1, 20)(rng);
  }
  // Streaming stores are chosen for big maps only; force them on small ones too.
  options.stream = static_cast<StreamStores>(std::uniform_int_distribution<int>(0, 2)(rng));
  return options;
}

class FastPathVsReference : public ::testing::TestWithParam<unsigned> {};

TEST_P(FastPathVsReference, SingleFilters) {
  const unsigned seed = GetParam();
  std::mt19937 rng(seed);
  for (int i = 0; i < kCasesPerSeed; ++i) {
    const OwnedImage image = random_input(rng);
    const Filter filter = random_filter(rng, "f" + std::to_string(i));
    const PlanOptions options = random_options(rng);
    SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i) + ": " +
                 describe(filter) + " on " + describe(image.view) + ", " + describe(options));
    const MapSize size = output_size(filter, image.view.width, image.view.height);
    if (size.width == 0 || size.height == 0) {  // valid border, kernel larger than the input
      EXPECT_THROW(run_single(filter, image.view, options), ConfigError);
      continue;
    }
    const FeatureMap want = reference_filter(image.view, filter);
    const FeatureMap got = run_single(filter, image.view, options);
    EXPECT_TRUE(maps_near(got, want, tolerance_for(filter, image.view)));
  }
}

// Several filters in one bank share padded copies per border and row passes;
// halos of the group are the widest of its members.
TEST_P(FastPathVsReference, MixedBanks) {
  const unsigned seed = GetParam();
  std::mt19937 rng(seed + 1000);
  for (int i = 0; i < kCasesPerSeed / 3; ++i) {
    const OwnedImage image = random_input(rng);
    std::vector<Filter> bank;
    const int count = std::uniform_int_distribution<int>(2, 5)(rng);
    while (static_cast<int>(bank.size()) < count) {
      Filter f = random_filter(rng, "b" + std::to_string(bank.size()));
      const MapSize size = output_size(f, image.view.width, image.view.height);
      if (size.width > 0 && size.height > 0) bank.push_back(std::move(f));
    }
    const PlanOptions options = random_options(rng);
    std::string trace = "seed " + std::to_string(seed) + " bank " + std::to_string(i) + " on " +
                        describe(image.view) + ", " + describe(options);
    for (const Filter& f : bank) trace += "\n  " + describe(f);
    SCOPED_TRACE(trace);
    const BankPlan plan(
        bank, {image.view.width, image.view.height, image.view.channels, image.view.type}, options);
    std::vector<FeatureMap> maps;
    plan.run(image.view, maps);
    ASSERT_EQ(maps.size(), bank.size());
    for (std::size_t m = 0; m < bank.size(); ++m) {
      EXPECT_TRUE(maps_near(maps[m], reference_filter(image.view, bank[m]),
                            tolerance_for(bank[m], image.view)))
          << "map " << m << ": " << describe(bank[m]);
    }
  }
}

// u8 banks of small integer kernels take the exact int16 path: every map equals
// the reference exactly, and the fused combine equals combining the reference
// maps bit for bit (the maps are the same exact integers).
TEST_P(FastPathVsReference, IntegerPathBanks) {
  const unsigned seed = GetParam();
  std::mt19937 rng(seed + 2000);
  for (int i = 0; i < kCasesPerSeed / 3; ++i) {
    OwnedImage image = random_input(rng);
    if (image.view.type != PixelType::U8) {
      image = random_image(rng, image.view.width, image.view.height, image.view.channels,
                           PixelType::U8, {1, 2, 3});
    }
    Filter first = random_filter(rng, "i0");
    first.kernel = random_kernel(rng, first.kernel.width, first.kernel.height,
                                 KernelStyle::SmallInteger, std::bernoulli_distribution(0.3)(rng));
    const MapSize size = output_size(first, image.view.width, image.view.height);
    if (size.width == 0 || size.height == 0) continue;
    // Same stride and border, so the maps can be combined.
    std::vector<Filter> bank{first};
    const int count = std::uniform_int_distribution<int>(1, 3)(rng);
    while (static_cast<int>(bank.size()) <= count) {
      Filter f = first;
      f.name = "i" + std::to_string(bank.size());
      // A valid border's map size depends on the kernel size: keep it.
      const bool valid = f.border == Border::Valid;
      const int kw = valid ? first.kernel.width : std::uniform_int_distribution<int>(1, 7)(rng);
      const int kh = valid ? first.kernel.height : std::uniform_int_distribution<int>(1, 7)(rng);
      f.kernel = random_kernel(rng, kw, kh, KernelStyle::SmallInteger);
      if (valid) f.kernel.anchor_x = f.kernel.anchor_y = std::nullopt;
      f.flip = std::bernoulli_distribution(0.3)(rng);
      const MapSize other = output_size(f, image.view.width, image.view.height);
      ASSERT_TRUE(other.width == size.width && other.height == size.height) << describe(f);
      bank.push_back(std::move(f));
    }
    const PlanOptions options = random_options(rng);
    std::string trace = "seed " + std::to_string(seed) + " integer bank " + std::to_string(i) +
                        " on " + describe(image.view) + ", " + describe(options);
    for (const Filter& f : bank) trace += "\n  " + describe(f);
    SCOPED_TRACE(trace);
    const BankPlan plan(
        bank, {image.view.width, image.view.height, image.view.channels, image.view.type}, options);
    EXPECT_TRUE(plan.info().integer_path);
    std::vector<FeatureMap> maps;
    plan.run(image.view, maps);
    std::vector<FeatureMap> want;
    std::vector<const FeatureMap*> want_pointers;
    for (const Filter& f : bank) want.push_back(reference_filter(image.view, f));
    for (std::size_t m = 0; m < bank.size(); ++m) {
      EXPECT_TRUE(maps_near(maps[m], want[m], 0.0)) << "map " << m;
      want_pointers.push_back(&want[m]);
    }
    for (CombineOp op : {CombineOp::Magnitude, CombineOp::SumAbs, CombineOp::Max, CombineOp::MaxAbs,
                         CombineOp::WeightedSum}) {
      Combine combine{op, {}};
      if (op == CombineOp::WeightedSum && std::bernoulli_distribution(0.5)(rng)) {
        for (std::size_t m = 0; m < bank.size(); ++m)
          combine.weights.push_back(0.3f * static_cast<float>(m) - 0.7f);
      }
      FeatureMap fused;
      plan.run_combined(image.view, combine, fused);
      EXPECT_TRUE(maps_identical(fused, combine_maps(want_pointers, combine))) << to_string(op);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, FastPathVsReference, ::testing::Range(1u, 41u));

}  // namespace
}  // namespace conveyor::conv::test
