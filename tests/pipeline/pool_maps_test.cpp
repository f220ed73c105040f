// The pool stage's maps against a plain reference: every window cell read
// through the engine's own border rule (src/conv/border_index.hpp), the
// kernel's default anchor, the engine's output size rule. Awkward sizes (1x1,
// smaller than the window, odd sides, 1xN, Nx1), windows 1..5 and not square,
// strides 1..3 and unequal, every border, max and average, 1 and 3 channels,
// 8-bit and float, a ROI and a map large enough to be split over threads.
#include "../../src/stages/pool_maps.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <opencv2/core.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../src/conv/border_index.hpp"
#include "conveyor/conv/kernel.hpp"

namespace conveyor::stages {
namespace {

using conv::Border;

const Border kBorders[] = {Border::Valid, Border::Zero, Border::Replicate, Border::Reflect,
                           Border::Wrap};

conv::Filter as_filter(const PoolWindow& window) {
  conv::Filter filter;
  filter.kernel.width = window.size_x;
  filter.kernel.height = window.size_y;
  filter.stride_x = window.stride_x;
  filter.stride_y = window.stride_y;
  filter.border = window.border;
  return filter;
}

double sample(const cv::Mat& input, int x, int y, int c, Border border) {
  const int sx = conv::detail::border_index(x, input.cols, border);
  const int sy = conv::detail::border_index(y, input.rows, border);
  if (sx < 0 || sy < 0) return 0.0;  // zero padding counts as a zero
  if (input.depth() == CV_8U) return input.ptr<std::uint8_t>(sy)[sx * input.channels() + c];
  return input.ptr<float>(sy)[sx * input.channels() + c];
}

// The definition, cell by cell. `scale` receives, per cell, the mean of the
// window's |values|: the scale a float average's rounding error is relative to.
cv::Mat reference_pool(const cv::Mat& input, const PoolWindow& window, cv::Mat* scale = nullptr) {
  const conv::Filter filter = as_filter(window);
  const conv::MapSize size = conv::output_size(filter, input.cols, input.rows);
  const bool valid = window.border == Border::Valid;
  const int ax = valid ? 0 : filter.kernel.anchor_col();
  const int ay = valid ? 0 : filter.kernel.anchor_row();
  const int channels = input.channels();
  const double area = window.size_x * window.size_y;
  cv::Mat out(size.height, size.width, input.type());
  if (scale) scale->create(size.height, size.width * channels, CV_64F);
  for (int oy = 0; oy < size.height; ++oy) {
    for (int ox = 0; ox < size.width; ++ox) {
      for (int c = 0; c < channels; ++c) {
        double best = -INFINITY;
        double sum = 0.0;
        double magnitude = 0.0;
        for (int ky = 0; ky < window.size_y; ++ky) {
          for (int kx = 0; kx < window.size_x; ++kx) {
            const double v = sample(input, ox * window.stride_x + kx - ax,
                                    oy * window.stride_y + ky - ay, c, window.border);
            best = std::max(best, v);
            sum += v;
            magnitude += std::abs(v);
          }
        }
        const double mean = sum / area;
        const int i = ox * channels + c;
        if (scale) scale->at<double>(oy, i) = magnitude / area;
        if (input.depth() == CV_8U) {
          const double value = window.op == PoolOp::Max ? best : std::floor(mean + 0.5);
          out.ptr<std::uint8_t>(oy)[i] = static_cast<std::uint8_t>(value);
        } else {
          out.ptr<float>(oy)[i] = static_cast<float>(window.op == PoolOp::Max ? best : mean);
        }
      }
    }
  }
  return out;
}

std::string describe(const cv::Mat& input, const PoolWindow& w) {
  std::ostringstream text;
  text << cv::typeToString(input.type()) << " " << input.cols << "x" << input.rows << " "
       << (w.op == PoolOp::Max ? "max" : "average") << " " << w.size_x << "x" << w.size_y
       << " stride " << w.stride_x << "x" << w.stride_y << " " << conv::to_string(w.border);
  return text.str();
}

// Max is exact, 8-bit average exact, float average within 1e-5 of the
// window's mean magnitude. Returns the number of cells compared.
int expect_matches(const cv::Mat& input, const PoolWindow& window) {
  cv::Mat scale;
  const cv::Mat expected = reference_pool(input, window, &scale);
  const cv::Mat actual = pool_map(input, window);
  const std::string what = describe(input, window);
  EXPECT_EQ(actual.type(), input.type()) << what;
  EXPECT_EQ(actual.size(), expected.size()) << what;
  if (actual.type() != input.type() || actual.size() != expected.size()) return 0;
  const bool exact = window.op == PoolOp::Max || input.depth() == CV_8U;
  const int row_cells = expected.cols * expected.channels();
  int failures = 0;
  for (int y = 0; y < expected.rows && failures < 3; ++y) {
    for (int i = 0; i < row_cells && failures < 3; ++i) {
      if (input.depth() == CV_8U) {
        const int a = actual.ptr<std::uint8_t>(y)[i];
        const int e = expected.ptr<std::uint8_t>(y)[i];
        if (a != e) ++failures;
        EXPECT_EQ(a, e) << what << " at row " << y << " element " << i;
        continue;
      }
      const float a = actual.ptr<float>(y)[i];
      const float e = expected.ptr<float>(y)[i];
      const double tolerance = exact ? 0.0 : 1e-5 * std::max(scale.at<double>(y, i), 1e-30);
      if (!(std::abs(static_cast<double>(a) - e) <= tolerance)) ++failures;
      EXPECT_NEAR(a, e, tolerance) << what << " at row " << y << " element " << i;
    }
  }
  return expected.rows * row_cells;
}

// Random values: 8-bit over 0..255, float over [-100, 100) so a zero border
// can win a maximum.
cv::Mat random_map(int width, int height, int type, std::uint64_t seed) {
  cv::Mat map(height, width, type);
  cv::RNG rng(seed);
  if (CV_MAT_DEPTH(type) == CV_8U) {
    rng.fill(map, cv::RNG::UNIFORM, 0, 256);
  } else {
    rng.fill(map, cv::RNG::UNIFORM, -100.0, 100.0);
  }
  return map;
}

TEST(PoolMaps, MatchesTheReferenceOverSizesWindowsStridesBordersAndTypes) {
  const std::pair<int, int> inputs[] = {{1, 1}, {1, 7}, {7, 1},   {2, 3}, {3, 2},
                                        {5, 5}, {9, 4}, {13, 11}, {6, 17}};
  const std::pair<int, int> strides[] = {{1, 1}, {2, 2}, {3, 3}, {1, 2}, {3, 1}, {2, 3}};
  const int types[] = {CV_8UC1, CV_8UC3, CV_32FC1, CV_32FC3};
  int compared = 0;
  int empty = 0;
  std::uint64_t seed = 1;
  for (auto [width, height] : inputs) {
    for (int type : types) {
      const cv::Mat input = random_map(width, height, type, seed++);
      for (int sy = 1; sy <= 5; ++sy) {
        for (int sx = 1; sx <= 5; ++sx) {
          for (auto [tx, ty] : strides) {
            for (Border border : kBorders) {
              for (PoolOp op : {PoolOp::Max, PoolOp::Average}) {
                const PoolWindow window{op, sx, sy, tx, ty, border};
                const conv::MapSize size = pool_output_size(window, width, height);
                if (size.width == 0 || size.height == 0) {
                  EXPECT_THROW(pool_map(input, window), std::invalid_argument)
                      << describe(input, window);
                  ++empty;
                  continue;
                }
                compared += expect_matches(input, window);
                if (HasFailure()) return;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 100000);
  EXPECT_GT(empty, 1000);  // windows larger than the map under `valid`
}

TEST(PoolMaps, ReadsOnlyItsRegionOfInterest) {
  for (int type : {CV_8UC1, CV_8UC3, CV_32FC1, CV_32FC3}) {
    const cv::Mat whole = random_map(40, 30, type, 77);
    const cv::Mat roi = whole(cv::Rect(3, 5, 17, 13));  // odd sides, rows not contiguous
    ASSERT_FALSE(roi.isContinuous());
    for (Border border : kBorders) {
      for (PoolOp op : {PoolOp::Max, PoolOp::Average}) {
        const PoolWindow window{op, 3, 2, 2, 3, border};
        expect_matches(roi, window);
        const cv::Mat copied = pool_map(roi.clone(), window);
        EXPECT_EQ(cv::norm(pool_map(roi, window), copied, cv::NORM_INF), 0.0)
            << describe(roi, window);
      }
    }
  }
}

TEST(PoolMaps, LargeMapsSplitOverThreadsMatchTheReference) {
  // Big enough that the output rows are pooled in several chunks.
  for (int type : {CV_8UC1, CV_32FC1, CV_32FC3}) {
    const cv::Mat input = random_map(641, 359, type, 5);
    for (Border border : {Border::Valid, Border::Reflect, Border::Wrap}) {
      expect_matches(input, {PoolOp::Max, 2, 2, 2, 2, border});
      expect_matches(input, {PoolOp::Average, 3, 3, 2, 2, border});
    }
  }
}

TEST(PoolMaps, OutputSizeIsTheEnginesRule) {
  for (Border border : kBorders) {
    for (int in = 0; in <= 12; ++in) {
      for (int size = 1; size <= 6; ++size) {
        for (int stride = 1; stride <= 4; ++stride) {
          const PoolWindow window{PoolOp::Max, size, 7 - size, stride, 5 - stride, border};
          const conv::MapSize ours = pool_output_size(window, in, 12 - in);
          const conv::MapSize engine = conv::output_size(as_filter(window), in, 12 - in);
          EXPECT_EQ(ours.width, engine.width);
          EXPECT_EQ(ours.height, engine.height);
        }
      }
    }
  }
  // docs/engine.md's lesson: a 7x7 picture, 3x3 window, valid: 5x5, stride 2: 3x3.
  EXPECT_EQ(pool_output_size({PoolOp::Max, 3, 3, 1, 1, Border::Valid}, 7, 7).width, 5);
  EXPECT_EQ(pool_output_size({PoolOp::Max, 3, 3, 2, 2, Border::Valid}, 7, 7).height, 3);
  EXPECT_EQ(pool_output_size({PoolOp::Max, 2, 2, 2, 2, Border::Valid}, 1280, 720).width, 640);
  EXPECT_EQ(pool_output_size({PoolOp::Max, 2, 2, 2, 2, Border::Zero}, 5, 3).height, 2);
}

TEST(PoolMaps, RefusesEmptyResultsAndUnsupportedInputs) {
  const cv::Mat tiny = random_map(1, 1, CV_32FC1, 3);
  try {
    pool_map(tiny, {PoolOp::Max, 2, 2, 2, 2, Border::Valid});
    ADD_FAILURE() << "a 2x2 valid window on a 1x1 map was accepted";
  } catch (const std::invalid_argument& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("1x1"), std::string::npos) << text;
    EXPECT_NE(text.find("2x2"), std::string::npos) << text;
  }
  EXPECT_THROW(pool_map(cv::Mat(), {}), std::invalid_argument);
  EXPECT_THROW(pool_map(cv::Mat(4, 4, CV_16UC1, cv::Scalar(1)), {}), std::invalid_argument);
  EXPECT_THROW(pool_map(cv::Mat(4, 4, CV_64FC1, cv::Scalar(1)), {}), std::invalid_argument);
  EXPECT_THROW(pool_map(cv::Mat(4, 4, CV_8UC(5)), {}), std::invalid_argument);
  const cv::Mat map = random_map(8, 8, CV_8UC1, 4);
  EXPECT_THROW(pool_map(map, {PoolOp::Max, 0, 2, 2, 2, Border::Zero}), std::invalid_argument);
  EXPECT_THROW(pool_map(map, {PoolOp::Max, 2, 32, 2, 2, Border::Zero}), std::invalid_argument);
  EXPECT_THROW(pool_map(map, {PoolOp::Max, 2, 2, 0, 2, Border::Zero}), std::invalid_argument);
  EXPECT_THROW(pool_map(map, {PoolOp::Max, 2, 2, 2, -1, Border::Zero}), std::invalid_argument);
}

TEST(PoolMaps, AverageRoundsHalvesUpAndCountsZeroPadding) {
  cv::Mat map = (cv::Mat_<std::uint8_t>(2, 2) << 1, 2, 2, 2);  // sum 7 over 4: 1.75 -> 2
  EXPECT_EQ(pool_map(map, {PoolOp::Average, 2, 2, 2, 2, Border::Valid}).at<std::uint8_t>(0, 0), 2);
  map = (cv::Mat_<std::uint8_t>(2, 2) << 1, 1, 2, 2);  // 6 / 4 = 1.5 -> 2
  EXPECT_EQ(pool_map(map, {PoolOp::Average, 2, 2, 2, 2, Border::Valid}).at<std::uint8_t>(0, 0), 2);
  // Zero border, 3x3 window over a 1x1 map of 9: 9 / 9 = 1 (the area, not the pixels inside).
  map = (cv::Mat_<std::uint8_t>(1, 1) << 9);
  EXPECT_EQ(pool_map(map, {PoolOp::Average, 3, 3, 1, 1, Border::Zero}).at<std::uint8_t>(0, 0), 1);
  const cv::Mat negative = (cv::Mat_<float>(1, 1) << -4.0f);
  EXPECT_EQ(pool_map(negative, {PoolOp::Max, 3, 3, 1, 1, Border::Zero}).at<float>(0, 0), 0.0f);
  EXPECT_EQ(pool_map(negative, {PoolOp::Max, 3, 3, 1, 1, Border::Replicate}).at<float>(0, 0),
            -4.0f);
}

}  // namespace
}  // namespace conveyor::stages
