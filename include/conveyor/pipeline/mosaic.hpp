// Several maps side by side in one picture: the lesson's several feature maps
// at once. One grid (mosaic_grid) with two styles: the sinks' (mosaic) and
// the display's (io::labelled_mosaic).
#pragma once

#include <functional>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace conveyor::pipeline {

struct MosaicStyle {
  // The whole grid fits within this size (cells shrink, never grow); empty:
  // every cell is as large as the largest picture.
  cv::Size limit;
  cv::Scalar background = cv::Scalar::all(0);
  // A picture smaller than its cell sits in its middle (else top-left).
  bool centre = false;
  // A map as the CV_8UC3 picture drawn in its cell.
  std::function<cv::Mat(const cv::Mat&)> picture;
  // Draws on the grid after picture `index` went into `cell` (frames, labels).
  std::function<void(cv::Mat& grid, const cv::Rect& cell, std::size_t index)> decorate;
};

// Shrinks (never enlarges) to fit within `limit`, keeping the aspect ratio.
cv::Mat fit_within(const cv::Mat& image, cv::Size limit);

// A grid of ceil(sqrt(n)) columns, filled row by row; CV_8UC3, empty for no
// images.
cv::Mat mosaic_grid(const std::vector<cv::Mat>& images, const MosaicStyle& style);

// The sinks' mosaic: full-size cells on black, 8-bit maps as they are, others
// stretched min..max, each labelled in yellow at its top-left corner (the
// first labels.size() maps).
cv::Mat mosaic(const std::vector<cv::Mat>& images, const std::vector<std::string>& labels);

}  // namespace conveyor::pipeline
