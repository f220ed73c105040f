// Generated kernels reproduce OpenCV's builders exactly: Sobel is the outer
// product of cv::getDerivKernels, Gaussian of cv::getGaussianKernel (both in
// double, rounded once to float); blurs are normalised.
#include "conveyor/conv/kernel_factory.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <string>

#include "conveyor/conv/errors.hpp"

namespace conveyor::conv {
namespace {

double weight_sum(const Kernel& k) {
  double sum = 0.0;
  for (float w : k.weights) sum += w;
  return sum;
}

// ky * kx^T of two CV_64F column vectors, rounded to float like the factory.
void expect_outer_product(const Kernel& k, const cv::Mat& kx, const cv::Mat& ky) {
  ASSERT_EQ(k.width, kx.rows);
  ASSERT_EQ(k.height, ky.rows);
  ASSERT_EQ(k.weights.size(), static_cast<std::size_t>(k.width) * k.height);
  for (int y = 0; y < k.height; ++y) {
    for (int x = 0; x < k.width; ++x) {
      EXPECT_EQ(k.at(y, x), static_cast<float>(ky.at<double>(y) * kx.at<double>(x)))
          << "at row " << y << ", column " << x;
    }
  }
}

TEST(KernelFactory, BoxIsNormalised) {
  for (int size : {1, 3, 5, 7, 31}) {
    const Kernel k = box_kernel(size);
    SCOPED_TRACE(k.name);
    EXPECT_EQ(k.width, size);
    EXPECT_EQ(k.height, size);
    for (float w : k.weights) EXPECT_EQ(w, static_cast<float>(1.0 / (size * size)));
    EXPECT_NEAR(weight_sum(k), 1.0, 1e-5);
  }
  EXPECT_THROW(box_kernel(4), ConfigError);
  EXPECT_THROW(box_kernel(0), ConfigError);
  EXPECT_THROW(box_kernel(33), ConfigError);
}

TEST(KernelFactory, GaussianSumsToOneAndEqualsGetGaussianKernel) {
  for (int size : {1, 3, 5, 7, 9, 11, 15, 21, 31}) {
    for (double sigma : {0.0, -1.0, 0.5, 1.2, 3.0, 10.0}) {
      const Kernel k = gaussian_kernel(size, sigma);
      SCOPED_TRACE("size " + std::to_string(size) + " sigma " + std::to_string(sigma));
      EXPECT_NEAR(weight_sum(k), 1.0, 1e-6);
      const cv::Mat g = cv::getGaussianKernel(size, sigma, CV_64F);
      expect_outer_product(k, g, g);
    }
  }
  EXPECT_THROW(gaussian_kernel(6, 1.0), ConfigError);
  EXPECT_THROW(gaussian_kernel(5, std::nan("")), ConfigError);
}

TEST(KernelFactory, SobelEqualsGetDerivKernels) {
  const std::pair<int, int> orders[] = {{1, 0}, {0, 1}, {1, 1}, {2, 0}, {0, 2}, {2, 1}, {2, 2}};
  for (int size : {1, 3, 5, 7}) {
    for (auto [dx, dy] : orders) {
      if (size == 1 && dx + dy > 2) continue;  // OpenCV: size 1 is for first/second order only
      SCOPED_TRACE("size " + std::to_string(size) + " dx " + std::to_string(dx) + " dy " +
                   std::to_string(dy));
      cv::Mat kx;
      cv::Mat ky;
      cv::getDerivKernels(kx, ky, dx, dy, size, false, CV_64F);
      expect_outer_product(sobel_kernel(dx, dy, size), kx, ky);
    }
  }
}

TEST(KernelFactory, SobelRejectsBadSizesAndOrders) {
  EXPECT_THROW(sobel_kernel(1, 0, 4), ConfigError);
  EXPECT_THROW(sobel_kernel(1, 0, 9), ConfigError);
  EXPECT_THROW(sobel_kernel(0, 0, 3), ConfigError);
  EXPECT_THROW(sobel_kernel(3, 0, 5), ConfigError);
  EXPECT_THROW(sobel_kernel(-1, 1, 3), ConfigError);
}

TEST(KernelFactory, MotionBlurIsTheNormalisedMiddleRow) {
  const Kernel k = motion_blur_kernel(5);
  ASSERT_EQ(k.width, 5);
  ASSERT_EQ(k.height, 5);
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 5; ++x) EXPECT_EQ(k.at(y, x), y == 2 ? 0.2f : 0.0f);
  }
  EXPECT_THROW(motion_blur_kernel(2), ConfigError);
}

}  // namespace
}  // namespace conveyor::conv
