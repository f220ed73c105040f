// Combining maps: the fused run_combined() must be bitwise equal to run()
// followed by combine_maps(), for every reduction; both must compute what the
// operation's name says; mismatched inputs are configuration errors.
#include "conveyor/conv/combine.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "conv_test_support.hpp"
#include "conveyor/conv/errors.hpp"
#include "conveyor/conv/kernel_factory.hpp"

namespace conveyor::conv::test {
namespace {

std::vector<Filter> edge_bank(std::mt19937& rng, int stride) {
  std::vector<Kernel> kernels = {sobel_kernel(1, 0, 3), sobel_kernel(0, 1, 3),
                                 make_kernel({{0, 1, 0}, {1, -4, 1}, {0, 1, 0}}, "laplacian"),
                                 random_kernel(rng, 5, 5, KernelStyle::Dense)};
  const Border borders[] = {Border::Reflect, Border::Reflect, Border::Zero, Border::Wrap};
  std::vector<Filter> bank;
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    Filter f;
    f.name = "m" + std::to_string(i);
    f.kernel = kernels[i];
    f.border = borders[i];
    f.stride_x = stride;
    f.stride_y = stride;
    bank.push_back(std::move(f));
  }
  return bank;
}

std::vector<const FeatureMap*> pointers(const std::vector<FeatureMap>& maps) {
  std::vector<const FeatureMap*> result;
  for (const FeatureMap& m : maps) result.push_back(&m);
  return result;
}

const std::vector<Combine>& all_reductions() {
  static const std::vector<Combine> combines = {
      {CombineOp::Magnitude, {}},   {CombineOp::SumAbs, {}},
      {CombineOp::Max, {}},         {CombineOp::MaxAbs, {}},
      {CombineOp::WeightedSum, {}}, {CombineOp::WeightedSum, {0.5f, -2.0f, 0.25f, 3.0f}},
  };
  return combines;
}

class FusedCombine : public ::testing::TestWithParam<std::tuple<PixelType, int, int>> {};

TEST_P(FusedCombine, BitwiseEqualToRunThenCombineMaps) {
  const auto [type, channels, stride] = GetParam();
  const unsigned seed = 41;
  std::mt19937 rng(seed);
  const OwnedImage image = random_image(rng, 157, 83, channels, type, {2, 1, 3});
  const std::vector<Filter> bank = edge_bank(rng, stride);
  const InputShape shape{157, 83, channels, type};
  for (PlanOptions options : {PlanOptions{2, 0, 0}, PlanOptions{2, 17, 9}, PlanOptions{1, 5, 3}}) {
    const BankPlan plan(bank, shape, options);
    std::vector<FeatureMap> maps;
    plan.run(image.view, maps);
    for (const Combine& combine : all_reductions()) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " " + to_string(combine.op) + " weights " +
                   std::to_string(combine.weights.size()) + " " + describe(image.view) +
                   " stride " + std::to_string(stride) + " " + describe(options));
      FeatureMap fused;
      plan.run_combined(image.view, combine, fused);
      EXPECT_TRUE(maps_identical(fused, combine_maps(pointers(maps), combine)));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Inputs, FusedCombine,
                         ::testing::Combine(::testing::Values(PixelType::U8, PixelType::F32),
                                            ::testing::Values(1, 3), ::testing::Values(1, 2)));

// What each reduction means, checked pixel by pixel in double precision.
TEST(CombineMaps, ComputesTheNamedReduction) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> value(-10.0f, 10.0f);
  std::vector<FeatureMap> maps(3, FeatureMap(37, 5, 3));  // 555 values: not a whole block
  for (FeatureMap& m : maps) {
    for (float& v : m.data) v = value(rng);
  }
  const std::vector<float> weights = {2.0f, -1.0f, 0.5f};
  for (const Combine& combine : std::vector<Combine>{{CombineOp::Magnitude, {}},
                                                     {CombineOp::SumAbs, {}},
                                                     {CombineOp::Max, {}},
                                                     {CombineOp::MaxAbs, {}},
                                                     {CombineOp::WeightedSum, {}},
                                                     {CombineOp::WeightedSum, weights}}) {
    SCOPED_TRACE(to_string(combine.op));
    const FeatureMap out = combine_maps(pointers(maps), combine);
    ASSERT_EQ(out.data.size(), maps[0].data.size());
    for (std::size_t i = 0; i < out.data.size(); ++i) {
      const double a = maps[0].data[i], b = maps[1].data[i], c = maps[2].data[i];
      double want = 0.0;
      switch (combine.op) {
        case CombineOp::Magnitude:
          want = std::sqrt(a * a + b * b + c * c);
          break;
        case CombineOp::SumAbs:
          want = std::fabs(a) + std::fabs(b) + std::fabs(c);
          break;
        case CombineOp::Max:
          want = std::max({a, b, c});
          break;
        case CombineOp::MaxAbs:
          want = std::max({std::fabs(a), std::fabs(b), std::fabs(c)});
          break;
        case CombineOp::WeightedSum:
          want = combine.weights.empty() ? a + b + c : 2.0 * a - b + 0.5 * c;
          break;
        case CombineOp::Stack:
          break;
      }
      ASSERT_NEAR(out.data[i], want, 1e-6 * 40.0) << "value " << i;
    }
  }
}

TEST(CombineMaps, MismatchesAreConfigErrors) {
  const FeatureMap a(10, 8), b(10, 8), smaller(9, 8), color(10, 8, 3);
  EXPECT_THROW(combine_maps({&a, &smaller}, {}), ConfigError);
  EXPECT_THROW(combine_maps({&a, &color}, {}), ConfigError);
  EXPECT_THROW(combine_maps({}, {}), ConfigError);
  EXPECT_THROW(combine_maps({&a, &b}, {CombineOp::Stack, {}}), ConfigError);
  EXPECT_THROW(combine_maps({&a, &b}, {CombineOp::WeightedSum, {1.0f}}), ConfigError);
  EXPECT_THROW(combine_maps({&a, &b}, {CombineOp::WeightedSum, {1.0f, 2.0f, 3.0f}}), ConfigError);
  EXPECT_NO_THROW(combine_maps({&a, &b}, {CombineOp::WeightedSum, {1.0f, 2.0f}}));
  try {
    combine_maps({&a, &smaller}, {});
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("9x8"), std::string::npos) << e.what();
  }
}

TEST(RunCombined, MismatchesAreConfigErrors) {
  std::mt19937 rng(43);
  const OwnedImage image = random_image(rng, 40, 30, 1, PixelType::F32);
  const InputShape shape{40, 30, 1, PixelType::F32};
  std::vector<Filter> bank = edge_bank(rng, 1);
  FeatureMap out;
  const BankPlan same(bank, shape);
  EXPECT_THROW(same.run_combined(image.view, {CombineOp::Stack, {}}, out), ConfigError);
  EXPECT_THROW(same.run_combined(image.view, {CombineOp::WeightedSum, {1.0f, 2.0f}}, out),
               ConfigError);
  EXPECT_NO_THROW(same.run_combined(image.view, {CombineOp::WeightedSum, {1, 2, 3, 4}}, out));

  std::vector<Filter> strided = bank;
  strided[1].stride_x = 2;  // a different size and stride
  EXPECT_THROW(BankPlan(strided, shape).run_combined(image.view, {}, out), ConfigError);
  std::vector<Filter> valid = bank;
  valid[2].border = Border::Valid;  // same stride, smaller map
  EXPECT_THROW(BankPlan(valid, shape).run_combined(image.view, {}, out), ConfigError);
}

}  // namespace
}  // namespace conveyor::conv::test
