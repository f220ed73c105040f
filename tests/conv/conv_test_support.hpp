// Shared helpers of the engine tests: random images in awkward buffers, random
// kernels of every style, map comparisons that report where they differ, and
// OpenCV wrappers for the oracle tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <vector>

#include "conveyor/conv/bank.hpp"
#include "conveyor/conv/image.hpp"
#include "conveyor/conv/kernel.hpp"

namespace conveyor::conv::test {

// An image that owns its buffer. The view may start inside a bigger buffer and
// have rows longer than its width; the bytes around it are noise too, so an
// engine that reads outside the view gets visibly wrong results.
struct OwnedImage {
  std::vector<std::uint8_t> buffer;
  ImageView view;
};

struct ImageLayout {
  int margin_x = 0;  // pixels of the bigger buffer left of the view
  int margin_y = 0;  // rows above the view
  int pad = 0;       // extra pixels at the end of every row
};

// u8 pixels cover 0..255; f32 pixels are uniform in [-100, 100].
OwnedImage random_image(std::mt19937& rng, int width, int height, int channels, PixelType type,
                        ImageLayout layout = {});

enum class KernelStyle {
  Dense,      // random weights in [-1, 1]
  Sparse,     // about half of the taps exactly zero
  AllZero,    // every tap zero
  Separable,  // outer product of two random vectors
  Integer,    // small integers in [-8, 8], not separable in general
  // integers in [-2, 2] with sum|w| <= 128: u8 input runs on the exact int16 path
  SmallInteger,
};
std::string to_string(KernelStyle style);

// Odd sizes keep the centre anchor unless `random_anchor`; even sizes always get one.
Kernel random_kernel(std::mt19937& rng, int width, int height, KernelStyle style,
                     bool random_anchor = false);

// The separable kernel column ⊗ row (weights c·r), centre anchor where the
// size is odd; callers set the anchor of even sizes.
Kernel outer_product(const std::vector<float>& column, const std::vector<float>& row,
                     const std::string& name = "outer");

double abs_weight_sum(const Kernel& kernel);
double max_abs_pixel(const ImageView& view);
std::string describe(const Filter& filter);
std::string describe(const ImageView& view);
std::string describe(const PlanOptions& options);

// Every pixel within `tolerance`; on failure names the first bad pixel and the worst error.
::testing::AssertionResult maps_near(const FeatureMap& got, const FeatureMap& want,
                                     double tolerance);
// Same size and byte-identical data (memcmp).
::testing::AssertionResult maps_identical(const FeatureMap& got, const FeatureMap& want);

// Tolerance for float accumulation against the double reference: relative to
// the largest possible magnitude sum|w| * max|input|.
inline constexpr double kRelativeTolerance = 1e-5;
double tolerance_for(const Filter& filter, const ImageView& input);

// Runs a one-filter bank (the fast paths) with the given plan options.
FeatureMap run_single(const Filter& filter, const ImageView& input, PlanOptions options = {});

// Runs `bank` as one plan and checks every map: byte-identical to its filter
// run alone (a shared loop must not change a bit) and near the reference.
void expect_bank_maps_match_singles(const std::vector<Filter>& bank, const ImageView& input,
                                    const PlanOptions& options);

// Runs `filter` alone with single-row tiles (which never pair output rows),
// checks that map against the reference, and checks that plans whose tiles
// pair rows (several tile heights, thread counts, streamed stores) give the
// same bytes. Returns the single-row map.
FeatureMap expect_row_pairs_match_single_rows(const Filter& filter, const ImageView& input);

// OpenCV bridges: a Mat header over a view (no copy), a map as a Mat (copy).
cv::Mat as_mat(const ImageView& view);
FeatureMap from_mat(const cv::Mat& mat);  // CV_32FC1 or CV_32FC3

}  // namespace conveyor::conv::test
