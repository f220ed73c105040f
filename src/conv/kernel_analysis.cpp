#include "conv/kernel_analysis.hpp"

#include <cmath>

namespace conveyor::conv::detail {

int nonzero_count(const std::vector<float>& values) {
  int count = 0;
  for (float v : values) count += v != 0.0f ? 1 : 0;
  return count;
}

Factorization factorize(const Kernel& kernel) {
  Factorization result;
  int pivot_x = 0;
  int pivot_y = 0;
  float largest = 0.0f;
  for (int y = 0; y < kernel.height; ++y) {
    for (int x = 0; x < kernel.width; ++x) {
      if (std::fabs(kernel.at(y, x)) > largest) {
        largest = std::fabs(kernel.at(y, x));
        pivot_x = x;
        pivot_y = y;
      }
    }
  }
  if (largest == 0.0f) return result;  // all zero: nothing to factor
  const float pivot = kernel.at(pivot_y, pivot_x);
  result.row.resize(static_cast<std::size_t>(kernel.width));
  result.column.resize(static_cast<std::size_t>(kernel.height));
  for (int x = 0; x < kernel.width; ++x) result.row[x] = kernel.at(pivot_y, x);
  for (int y = 0; y < kernel.height; ++y) result.column[y] = kernel.at(y, pivot_x) / pivot;
  const float tolerance = 1e-6f * largest;
  for (int y = 0; y < kernel.height; ++y) {
    for (int x = 0; x < kernel.width; ++x) {
      if (std::fabs(kernel.at(y, x) - result.column[y] * result.row[x]) > tolerance) {
        return Factorization{};
      }
    }
  }
  result.separable = true;
  return result;
}

}  // namespace conveyor::conv::detail
