// The one mosaic (pipeline::mosaic_grid) draws the pictures the two former
// mosaics drew: the one the file and images sinks write for "every map of a
// stage", and the display's labelled mosaic. Both former implementations are
// kept here, verbatim, as oracles, over grids of 1 to 7 maps of mixed sizes,
// depths and channel counts, with fewer labels than maps and with limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>

#include "../../src/io/display_overlay.hpp"
#include "../../src/stages/convolve_stage.hpp"
#include "conveyor/pipeline/mosaic.hpp"

namespace conveyor::pipeline {
namespace {

// The sinks' mosaic before it became a style of mosaic_grid.
cv::Mat former_sink_mosaic(const std::vector<cv::Mat>& images,
                           const std::vector<std::string>& labels) {
  if (images.empty()) return {};
  const int columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(images.size()))));
  const int rows = (static_cast<int>(images.size()) + columns - 1) / columns;
  int cell_w = 0;
  int cell_h = 0;
  for (const auto& image : images) {
    cell_w = std::max(cell_w, image.cols);
    cell_h = std::max(cell_h, image.rows);
  }
  cv::Mat grid(rows * cell_h, columns * cell_w, CV_8UC3, cv::Scalar::all(0));
  for (std::size_t i = 0; i < images.size(); ++i) {
    cv::Mat cell;
    if (images[i].depth() == CV_8U) {
      cell = images[i];
    } else {
      cv::normalize(images[i], cell, 0, 255, cv::NORM_MINMAX, CV_8U);
    }
    if (cell.channels() == 1) cv::cvtColor(cell, cell, cv::COLOR_GRAY2BGR);
    const int x = static_cast<int>(i) % columns * cell_w;
    const int y = static_cast<int>(i) / columns * cell_h;
    cell.copyTo(grid(cv::Rect(x, y, cell.cols, cell.rows)));
    if (i < labels.size()) {
      cv::putText(grid, labels[i], {x + 8, y + 24}, cv::FONT_HERSHEY_SIMPLEX, 0.7,
                  cv::Scalar(0, 255, 255), 2, cv::LINE_AA);
    }
  }
  return grid;
}

// The display's labelled mosaic as it was; its cell label (unchanged) is
// drawn by the display's own helper.
cv::Mat former_labelled_mosaic(const std::vector<View>& views, cv::Size limit) {
  if (views.empty()) return io::to_display_bgr(cv::Mat());
  const int n = static_cast<int>(views.size());
  const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int rows = (n + cols - 1) / cols;
  cv::Size largest(1, 1);
  for (const auto& view : views) {
    largest.width = std::max(largest.width, view.image.cols);
    largest.height = std::max(largest.height, view.image.rows);
  }
  const double scale = std::min({1.0, static_cast<double>(limit.width) / (cols * largest.width),
                                 static_cast<double>(limit.height) / (rows * largest.height)});
  const cv::Size cell(std::max(1, static_cast<int>(largest.width * scale)),
                      std::max(1, static_cast<int>(largest.height * scale)));
  cv::Mat out(cv::Size(cell.width * cols, cell.height * rows), CV_8UC3, cv::Scalar::all(32));
  for (int i = 0; i < n; ++i) {
    const cv::Rect slot((i % cols) * cell.width, (i / cols) * cell.height, cell.width, cell.height);
    cv::Mat picture = io::fit_within(io::to_display_bgr(views[i].image), cell);
    const cv::Point offset((cell.width - picture.cols) / 2, (cell.height - picture.rows) / 2);
    picture.copyTo(out(cv::Rect(slot.tl() + offset, picture.size())));
    io::draw_cell_label(out, slot, std::to_string(i + 1) + " " + views[i].name);
  }
  return out;
}

bool same_bytes(const cv::Mat& a, const cv::Mat& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.empty()) return true;
  const cv::Mat ca = a.isContinuous() ? a : a.clone();
  const cv::Mat cb = b.isContinuous() ? b : b.clone();
  return std::memcmp(ca.data, cb.data, ca.total() * ca.elemSize()) == 0;
}

// Maps as a stage keeps them: f32 with negatives, 8-bit gray and colour, of
// the sizes different strides and borders give.
std::vector<cv::Mat> pictures(int count) {
  std::vector<cv::Mat> images;
  cv::RNG rng(static_cast<std::uint64_t>(count) + 11);
  const cv::Size sizes[] = {{96, 64}, {48, 32}, {95, 63}, {31, 17}, {96, 64}, {200, 9}, {7, 120}};
  const int types[] = {CV_32FC1, CV_8UC1, CV_8UC3, CV_32FC3, CV_8UC1, CV_32FC1, CV_8UC3};
  for (int i = 0; i < count; ++i) {
    cv::Mat image(sizes[i % 7], types[i % 7]);
    if (image.depth() == CV_32F) {
      rng.fill(image, cv::RNG::UNIFORM, -300.0, 500.0);
    } else {
      rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    }
    images.push_back(image);
  }
  return images;
}

TEST(MosaicIdentity, SinkMosaicKeepsItsBytes) {
  for (int count = 1; count <= 7; ++count) {
    const auto images = pictures(count);
    for (const std::vector<std::string>& labels :
         {std::vector<std::string>{"gx", "gy", "blur", "sharp", "m5", "m6", "m7"},
          std::vector<std::string>{"only"}, std::vector<std::string>{}}) {
      SCOPED_TRACE(std::to_string(count) + " maps, " + std::to_string(labels.size()) + " labels");
      EXPECT_TRUE(same_bytes(mosaic(images, labels), former_sink_mosaic(images, labels)));
    }
  }
  EXPECT_TRUE(mosaic({}, {}).empty());
}

TEST(MosaicIdentity, DisplayMosaicKeepsItsBytes) {
  for (int count = 0; count <= 7; ++count) {
    std::vector<View> views;
    const auto images = pictures(count);
    for (int i = 0; i < count; ++i) views.push_back({"map" + std::to_string(i), images[i]});
    for (const cv::Size limit : {cv::Size(1280, 720), cv::Size(100, 80), cv::Size(3, 2)}) {
      SCOPED_TRACE(std::to_string(count) + " views within " + std::to_string(limit.width) + "x" +
                   std::to_string(limit.height));
      EXPECT_TRUE(
          same_bytes(io::labelled_mosaic(views, limit), former_labelled_mosaic(views, limit)));
    }
  }
}

}  // namespace
}  // namespace conveyor::pipeline
