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
        ASSERT_TRUE(BankPlan({f}, shape).info().filters[0].separable);
        EXPECT_TRUE(maps_near(run_single(f, image.view), reference_filter(image.view, f), 0.0));
      }
    }
  }
}

}  // namespace
}  // namespace conveyor::conv::test
