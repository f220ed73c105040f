// Integer kernels on u8 input: every product and partial sum is an integer far
// below 2^24, so float accumulation in any order is exact, and the engine must
// match the reference bit for bit -- as long as the kernel runs as a direct 2-D
// pass or its separable factors are exactly representable.
#include <gtest/gtest.h>

#include <random>

#include "conv_test_support.hpp"
#include "conveyor/conv/kernel_factory.hpp"
#include "conveyor/conv/reference.hpp"

namespace conveyor::conv::test {
namespace {

constexpr Border kPadded[] = {Border::Zero, Border::Replicate, Border::Reflect, Border::Wrap};

Filter named(const Kernel& kernel, Border border) {
  Filter f;
  f.name = kernel.name;
  f.kernel = kernel;
  f.border = border;
  return f;
}

TEST(IntegerKernels, RandomNonSeparableAreExactOnU8) {
  const unsigned seed = 7;
  std::mt19937 rng(seed);
  for (int i = 0; i < 40; ++i) {
    const int size = i % 8 == 7 ? 31 : 1 + i % 15;
    const int channels = i % 2 ? 3 : 1;
    const OwnedImage image =
        random_image(rng, 23 + i, 9 + i % 13, channels, PixelType::U8, {i % 3, i % 2, i % 5});
    Filter f = named(random_kernel(rng, size, 1 + (i * 7) % 15, KernelStyle::Integer, i % 4 == 0),
                     i % 5 == 4 ? Border::Valid : kPadded[i % 4]);
    f.stride_x = 1 + i % 3;
    f.stride_y = 1 + i % 2;
    f.flip = i % 3 == 0;
    SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i) + ": " +
                 describe(f) + " on " + describe(image.view));
    if (output_size(f, image.view.width, image.view.height).width == 0 ||
        output_size(f, image.view.width, image.view.height).height == 0) {
      continue;  // valid border larger than the input: covered by the error tests
    }
    EXPECT_TRUE(
        maps_near(run_single(f, image.view, {2, 0, 0}), reference_filter(image.view, f), 0.0));
  }
}

// Size-3 Sobel, Laplacians, binomial smoothing and sharpen: the usual integer
// kernels. Separable ones factor into powers of two ratios, hence still exact.
TEST(IntegerKernels, ClassicSmallKernelsAreExactOnU8) {
  std::mt19937 rng(11);
  const OwnedImage image = random_image(rng, 131, 67, 1, PixelType::U8, {2, 1, 3});
  const std::vector<Kernel> kernels = {
      sobel_kernel(1, 0, 3),
      sobel_kernel(0, 1, 3),
      sobel_kernel(2, 0, 3),
      sobel_kernel(1, 1, 3),
      sobel_kernel(1, 0, 1),
      make_kernel({{0, 1, 0}, {1, -4, 1}, {0, 1, 0}}, "laplacian4"),
      make_kernel({{1, 1, 1}, {1, -8, 1}, {1, 1, 1}}, "laplacian8"),
      make_kernel({{1, 2, 1}, {2, 4, 2}, {1, 2, 1}}, "binomial3"),
      make_kernel({{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}}, "sharpen"),
      make_kernel({{-2, -1, 0}, {-1, 1, 1}, {0, 1, 2}}, "emboss"),
  };
  for (const Kernel& k : kernels) {
    for (Border border : kPadded) {
      const Filter f = named(k, border);
      SCOPED_TRACE(describe(f));
      EXPECT_TRUE(maps_near(run_single(f, image.view), reference_filter(image.view, f), 0.0));
    }
  }
}

// Sobel 5 and 7 are separable with integer factors once the row is divided by
// its gcd (a column scaled by the pivot would hold ratios such as 4/6, which
// float cannot represent): every pass is then exact.
TEST(IntegerKernels, LargerSobelIsExactOnU8) {
  std::mt19937 rng(13);
  const OwnedImage image = random_image(rng, 257, 131, 1, PixelType::U8);
  const InputShape shape{257, 131, 1, PixelType::U8};
  for (int size : {5, 7}) {
    for (auto [dx, dy] : {std::pair{1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}}) {
      for (Border border : kPadded) {
        const Filter f = named(sobel_kernel(dx, dy, size), border);
        SCOPED_TRACE(describe(f));
        const PlanInfo info = BankPlan({f}, shape).info();
        ASSERT_TRUE(info.filters[0].separable || info.integer_path);
        EXPECT_TRUE(maps_near(run_single(f, image.view), reference_filter(image.view, f), 0.0));
      }
    }
  }
}

// The exact int16 path over awkward geometry: 1x1, smaller than the kernel, odd
// widths, 720p minus one, padded-row views; every border, strides 1-4, 1 and 3
// channels, 1/2/4 threads and odd tiles. Each case must equal the reference.
TEST(IntegerKernels, Int16PathIsExactOnAwkwardGeometry) {
  const unsigned seed = 17;
  std::mt19937 rng(seed);
  struct Size {
    int width, height;
  };
  const Size sizes[] = {{1, 1}, {2, 3}, {3, 2}, {5, 4}, {17, 9}, {33, 1}, {1, 29}, {1279, 719}};
  const Border borders[] = {Border::Valid, Border::Zero, Border::Replicate, Border::Reflect,
                            Border::Wrap};
  const PlanOptions options[] = {{1, 0, 0},  {2, 0, 0}, {4, 7, 5},
                                 {2, 16, 3}, {4, 1, 1}, {2, 0, 0, StreamStores::On}};
  int case_index = 0;
  for (const Size size : sizes) {
    for (const int channels : {1, 3}) {
      const ImageLayout layout{case_index % 3, case_index % 2, case_index % 5};
      const OwnedImage image =
          random_image(rng, size.width, size.height, channels, PixelType::U8, layout);
      const bool big = size.width > 1000;
      for (const Border border : borders) {
        for (int stride = 1; stride <= 4; ++stride) {
          ++case_index;
          if (big && (stride + static_cast<int>(border)) % 3 != 0) continue;  // keep it quick
          const int kw = 1 + case_index % 5;
          const int kh = 1 + (case_index * 3) % 5;
          Filter f = named(
              random_kernel(rng, kw, kh, KernelStyle::SmallInteger, case_index % 4 == 0), border);
          f.stride_x = stride;
          f.stride_y = 1 + (stride + case_index) % 4;
          f.flip = case_index % 3 == 0;
          const PlanOptions& option = options[case_index % std::size(options)];
          SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(case_index) +
                       ": " + describe(f) + " on " + describe(image.view) + ", " +
                       describe(option));
          const MapSize out = output_size(f, size.width, size.height);
          if (out.width == 0 || out.height == 0) continue;  // valid, kernel larger than the input
          const InputShape shape{size.width, size.height, channels, PixelType::U8};
          ASSERT_TRUE(BankPlan({f}, shape, option).info().integer_path);
          EXPECT_TRUE(
              maps_near(run_single(f, image.view, option), reference_filter(image.view, f), 0.0));
        }
      }
    }
  }
}

// A kernel whose sum|w| * 255 exceeds int16 stays on the float path (still exact).
TEST(IntegerKernels, LargeSumsStayOnTheFloatPath) {
  std::mt19937 rng(19);
  const OwnedImage image = random_image(rng, 61, 23, 1, PixelType::U8);
  const Filter f = named(make_kernel({{1, 2, 3}, {4, 200, 6}, {7, 8, 9}}, "big"), Border::Reflect);
  EXPECT_FALSE(BankPlan({f}, {61, 23, 1, PixelType::U8}).info().integer_path);
  EXPECT_TRUE(maps_near(run_single(f, image.view), reference_filter(image.view, f), 0.0));
}

}  // namespace
}  // namespace conveyor::conv::test
