// Plan-time classification of a kernel (OpenCV's kernel-type analysis):
// is it separable (rank 1), and which taps are non-zero.
#pragma once

#include <vector>

#include "conveyor/conv/kernel.hpp"

namespace conveyor::conv::detail {

struct Factorization {
  bool separable = false;
  std::vector<float> row;     // horizontal factor, kernel.width values
  std::vector<float> column;  // vertical factor, kernel.height values
};

// Rank-1 test: w(y, x) == column[y] * row[x] within float rounding (exactly,
// for integer kernels). Integer kernels such as Sobel 5 and 7 get integer
// factors (the row divided by its gcd), so their passes are exact on u8 input;
// other kernels take the row from the kernel and scale the column by the pivot.
Factorization factorize(const Kernel& kernel);

// True when every weight is an integer and sum|w| * 255 <= 32767: on u8 input
// the filter's value then fits int16 whatever the pixels.
bool fits_int16_on_u8(const Kernel& kernel);

int nonzero_count(const std::vector<float>& values);

}  // namespace conveyor::conv::detail
