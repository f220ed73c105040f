// Generated kernel families. Sobel and Gaussian reproduce OpenCV's builders
// (cv::getDerivKernels, cv::getGaussianKernel) step by step, so that OpenCV can
// serve as the test oracle without the engine linking to it.
#include "conveyor/conv/kernel_factory.hpp"

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "conveyor/conv/errors.hpp"

namespace conveyor::conv {
namespace {

void require_odd_size(const char* family, int size, int largest) {
  if (size < 1 || size > largest || size % 2 == 0) {
    throw ConfigError(std::string(family) + " kernel size " + std::to_string(size) +
                      " is not valid; expected an odd integer from 1 to " +
                      std::to_string(largest));
  }
}

// The 2-D kernel is the outer product column * row, computed in double and
// rounded once, as a separable filter with these 1-D kernels would apply it.
Kernel outer_product(const std::vector<double>& column, const std::vector<double>& row,
                     std::string name) {
  Kernel kernel;
  kernel.name = std::move(name);
  kernel.width = static_cast<int>(row.size());
  kernel.height = static_cast<int>(column.size());
  kernel.weights.reserve(row.size() * column.size());
  for (const double c : column) {
    for (const double r : row) kernel.weights.push_back(static_cast<float>(c * r));
  }
  return kernel;
}

// One 1-D Sobel factor of the given derivative order, exactly as OpenCV's
// getSobelKernels: binomial smoothing, then `order` finite differences.
std::vector<double> sobel_factor(int size, int order) {
  std::vector<int> k(static_cast<std::size_t>(size) + 1, 0);
  if (size == 1) {
    k[0] = 1;
  } else if (size == 3) {
    static constexpr std::array<std::array<int, 3>, 3> kSmall{{{1, 2, 1}, {-1, 0, 1}, {1, -2, 1}}};
    for (std::size_t i = 0; i < 3; ++i) k[i] = kSmall[static_cast<std::size_t>(order)][i];
  } else {
    k[0] = 1;
    for (int i = 0; i < size - order - 1; ++i) {
      int old_value = k[0];
      for (std::size_t j = 1; j <= static_cast<std::size_t>(size); ++j) {
        const int new_value = k[j] + k[j - 1];
        k[j - 1] = old_value;
        old_value = new_value;
      }
    }
    for (int i = 0; i < order; ++i) {
      int old_value = -k[0];
      for (std::size_t j = 1; j <= static_cast<std::size_t>(size); ++j) {
        const int new_value = k[j - 1] - k[j];
        k[j - 1] = old_value;
        old_value = new_value;
      }
    }
  }
  return {k.begin(), k.begin() + size};
}

// OpenCV's fixed tables for sigma <= 0 and small sizes (binomial weights).
std::vector<double> small_gaussian(int size) {
  switch (size) {
    case 1:
      return {1.0};
    case 3:
      return {0.25, 0.5, 0.25};
    case 5:
      return {0.0625, 0.25, 0.375, 0.25, 0.0625};
    case 7:
      return {0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125};
    case 9:
      return {4 / 256.0,  13 / 256.0, 30 / 256.0, 51 / 256.0, 60 / 256.0,
              51 / 256.0, 30 / 256.0, 13 / 256.0, 4 / 256.0};
    default:
      return {};
  }
}

// cv::getGaussianKernel for an odd size: symmetric samples of exp(-x^2 / 2s^2)
// normalised so they sum to 1, with OpenCV's default sigma when sigma <= 0.
std::vector<double> gaussian_factor(int size, double sigma) {
  if (sigma <= 0) {
    std::vector<double> table = small_gaussian(size);
    if (!table.empty()) return table;
  }
  // 0.3 * ((size - 1) * 0.5 - 1) + 0.8 == 0.15 * size + 0.35, fused as OpenCV does.
  const double s = sigma > 0 ? sigma : std::fma(static_cast<double>(size), 0.15, 0.35);
  const double scale = -0.125 / (s * s);
  const int half = (size - 1) / 2;
  std::vector<double> values(static_cast<std::size_t>(half));
  double sum = 0;
  for (int i = 0, x = 1 - size; i < half; ++i, x += 2) {
    values[static_cast<std::size_t>(i)] = std::exp(static_cast<double>(x * x) * scale);
    sum += values[static_cast<std::size_t>(i)];
  }
  sum = sum * 2 + 1;
  const double inverse = 1.0 / sum;
  std::vector<double> result(static_cast<std::size_t>(size));
  for (int i = 0; i < half; ++i) {
    const double t = values[static_cast<std::size_t>(i)] * inverse;
    result[static_cast<std::size_t>(i)] = t;
    result[static_cast<std::size_t>(size - 1 - i)] = t;
  }
  result[static_cast<std::size_t>(half)] = inverse;
  return result;
}

}  // namespace

Kernel box_kernel(int size) {
  require_odd_size("box", size, kMaxKernelSize);
  Kernel kernel;
  kernel.name = "box" + std::to_string(size);
  kernel.width = size;
  kernel.height = size;
  kernel.weights.assign(static_cast<std::size_t>(size) * size,
                        static_cast<float>(1.0 / (static_cast<double>(size) * size)));
  return kernel;
}

Kernel gaussian_kernel(int size, double sigma) {
  require_odd_size("gaussian", size, kMaxKernelSize);
  if (!std::isfinite(sigma)) {
    throw ConfigError("gaussian sigma " + std::to_string(sigma) +
                      " is not valid; expected a finite number (0 or less picks the default)");
  }
  const std::vector<double> factor = gaussian_factor(size, sigma);
  return outer_product(factor, factor, "gaussian" + std::to_string(size));
}

Kernel sobel_kernel(int dx, int dy, int size) {
  if (size != 1 && size != 3 && size != 5 && size != 7) {
    throw ConfigError("sobel kernel size " + std::to_string(size) +
                      " is not valid; expected 1, 3, 5 or 7");
  }
  if (dx < 0 || dy < 0 || dx > 2 || dy > 2 || dx + dy == 0) {
    throw ConfigError("sobel derivative order dx=" + std::to_string(dx) +
                      ", dy=" + std::to_string(dy) +
                      " is not valid; expected dx and dy from 0 to 2, not both 0");
  }
  // As OpenCV: size 1 means a 3-tap difference along a differentiated axis.
  const int size_x = (size == 1 && dx > 0) ? 3 : size;
  const int size_y = (size == 1 && dy > 0) ? 3 : size;
  if (size_x <= dx || size_y <= dy) {
    throw ConfigError("sobel kernel size " + std::to_string(size) +
                      " is too small for derivative order dx=" + std::to_string(dx) +
                      ", dy=" + std::to_string(dy) + "; expected a size above the order");
  }
  return outer_product(
      sobel_factor(size_y, dy), sobel_factor(size_x, dx),
      "sobel_" + std::to_string(dx) + std::to_string(dy) + "_" + std::to_string(size));
}

Kernel motion_blur_kernel(int size) {
  require_odd_size("motion_blur", size, kMaxKernelSize);
  // A square kernel with only its middle row set: same footprint as the
  // classic tutorial kernel, and the engine skips the zero rows.
  Kernel kernel;
  kernel.name = "motion_blur" + std::to_string(size);
  kernel.width = size;
  kernel.height = size;
  kernel.weights.assign(static_cast<std::size_t>(size) * size, 0.0f);
  const float weight = static_cast<float>(1.0 / size);
  const std::size_t middle = static_cast<std::size_t>(size / 2) * size;
  for (std::size_t x = 0; x < static_cast<std::size_t>(size); ++x) {
    kernel.weights[middle + x] = weight;
  }
  return kernel;
}

}  // namespace conveyor::conv
