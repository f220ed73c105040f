#include "conv/kernel_analysis.hpp"

#include <cmath>
#include <numeric>

namespace conveyor::conv::detail {

int nonzero_count(const std::vector<float>& values) {
  int count = 0;
  for (float v : values) count += v != 0.0f ? 1 : 0;
  return count;
}

namespace {

bool all_integers(const std::vector<float>& values) {
  for (float v : values) {
    if (v != std::nearbyint(v) || std::fabs(v) >= 16777216.0f) return false;  // 2^24
  }
  return true;
}

}  // namespace

bool fits_int16_on_u8(const Kernel& kernel) {
  if (!all_integers(kernel.weights)) return false;
  double sum = 0;
  for (float w : kernel.weights) sum += std::fabs(w);
  return sum * 255.0 <= 32767.0;
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
  const bool integer = all_integers(kernel.weights);
  if (integer) {
    // The row divided by its gcd g; the column k(y, px) * g / pivot is then an
    // integer too (g is an integer combination of the row entries, and each
    // row entry times column[y] is a kernel weight), so every pass stays exact.
    long long g = 0;
    for (float w : result.row) g = std::gcd(g, static_cast<long long>(w));
    for (float& w : result.row) w = static_cast<float>(static_cast<long long>(w) / g);
    for (int y = 0; y < kernel.height; ++y) {
      const double column = static_cast<double>(kernel.at(y, pivot_x)) * static_cast<double>(g) /
                            static_cast<double>(pivot);
      result.column[y] = static_cast<float>(std::nearbyint(column));
    }
  } else {
    for (int y = 0; y < kernel.height; ++y) result.column[y] = kernel.at(y, pivot_x) / pivot;
  }
  const float tolerance = integer ? 0.0f : 1e-6f * largest;
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
