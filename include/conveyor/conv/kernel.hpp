// A feature detector (kernel) and how it is placed on the input image.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace conveyor::conv {

inline constexpr int kMaxKernelSize = 31;
// The largest sum of |weights| a kernel may have: beyond it, 8-bit or float
// inputs overflow float maps (3e38 weights give infinities and NaN, shown as
// black). Kernels above it are refused wherever one is made.
inline constexpr double kMaxWeightSum = 1e30;

// How the image is extended beyond its edges. `Valid` does not extend it at all:
// the kernel only visits positions where it lies fully inside the image.
enum class Border { Valid, Zero, Replicate, Reflect, Wrap };

std::string to_string(Border border);
// Accepts valid, zero (alias constant), replicate, reflect (alias reflect101), wrap.
std::optional<Border> parse_border(const std::string& text);
const std::vector<std::string>& border_names();

// A dense matrix of float weights, row-major. The anchor is the kernel cell
// that sits on the output pixel's position; odd sizes default to the centre,
// even sizes must state it (there is no centre to guess).
struct Kernel {
  std::string name;
  int width = 0;
  int height = 0;
  std::vector<float> weights;
  std::optional<int> anchor_x;
  std::optional<int> anchor_y;

  float at(int y, int x) const { return weights[static_cast<std::size_t>(y) * width + x]; }
  int anchor_col() const { return anchor_x.value_or((width - 1) / 2); }
  int anchor_row() const { return anchor_y.value_or((height - 1) / 2); }
};

// Empty when the sum of |weights| is at most kMaxWeightSum, otherwise a
// sentence "kernel '<name>': the sum of |weights| is 3e+38; expected ...".
std::string weight_sum_problem(const Kernel& kernel);

// Builds a kernel from rows; throws ConfigError on empty or ragged rows, or
// weights whose absolute sum exceeds kMaxWeightSum.
Kernel make_kernel(const std::vector<std::vector<float>>& rows, std::string name = {});

// Rotates by 180 degrees (true convolution instead of correlation); the anchor
// is mirrored with it, as OpenCV does.
Kernel flipped(const Kernel& kernel);

// Returns an empty string when the kernel is usable with the given border,
// otherwise a sentence naming the offending value and what was expected.
std::string validate_kernel(const Kernel& kernel, Border border);

// One entry of a bank: a kernel plus where it is applied.
struct Filter {
  std::string name;
  Kernel kernel;
  int stride_x = 1;
  int stride_y = 1;
  Border border = Border::Reflect;
  bool flip = false;  // true convolution (kernel rotated 180 degrees)
};

// Output size rule (documented in docs/engine.md):
//   valid:  out = floor((in - k) / stride) + 1 when in >= k, else 0
//   padded: out = floor((in - 1) / stride) + 1 = ceil(in / stride)
int output_extent(int input, int kernel, int stride, Border border);

struct MapSize {
  int width = 0;
  int height = 0;
};
MapSize output_size(const Filter& filter, int input_width, int input_height);

// Throws ConfigError when the filter is unusable (bad stride, kernel, anchor).
void validate_filter(const Filter& filter);

}  // namespace conveyor::conv
