#include "conveyor/pipeline/mosaic.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace conveyor::pipeline {
cv::Mat fit_within(const cv::Mat& image, cv::Size limit) {
  if (image.empty() || (image.cols <= limit.width && image.rows <= limit.height)) return image;
  const double scale = std::min(static_cast<double>(limit.width) / image.cols,
                                static_cast<double>(limit.height) / image.rows);
  const cv::Size size(std::max(1, static_cast<int>(std::lround(image.cols * scale))),
                      std::max(1, static_cast<int>(std::lround(image.rows * scale))));
  cv::Mat out;
  cv::resize(image, out, size, 0, 0, cv::INTER_AREA);
  return out;
}

cv::Mat mosaic_grid(const std::vector<cv::Mat>& images, const MosaicStyle& style) {
  if (images.empty()) return {};
  const int n = static_cast<int>(images.size());
  const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int rows = (n + cols - 1) / cols;
  cv::Size largest(1, 1);
  for (const auto& image : images) {
    largest.width = std::max(largest.width, image.cols);
    largest.height = std::max(largest.height, image.rows);
  }
  double scale = 1.0;
  if (!style.limit.empty()) {
    scale = std::min({1.0, static_cast<double>(style.limit.width) / (cols * largest.width),
                      static_cast<double>(style.limit.height) / (rows * largest.height)});
  }
  const cv::Size cell(std::max(1, static_cast<int>(largest.width * scale)),
                      std::max(1, static_cast<int>(largest.height * scale)));
  cv::Mat grid(cv::Size(cell.width * cols, cell.height * rows), CV_8UC3, style.background);
  for (int i = 0; i < n; ++i) {
    const cv::Rect slot((i % cols) * cell.width, (i / cols) * cell.height, cell.width, cell.height);
    const cv::Mat picture = fit_within(style.picture(images[static_cast<std::size_t>(i)]), cell);
    const cv::Point offset =
        style.centre ? cv::Point((cell.width - picture.cols) / 2, (cell.height - picture.rows) / 2)
                     : cv::Point(0, 0);
    picture.copyTo(grid(cv::Rect(slot.tl() + offset, picture.size())));
    if (style.decorate) style.decorate(grid, slot, static_cast<std::size_t>(i));
  }
  return grid;
}

cv::Mat mosaic(const std::vector<cv::Mat>& images, const std::vector<std::string>& labels) {
  MosaicStyle style;
  style.picture = [](const cv::Mat& image) {
    cv::Mat cell;
    if (image.depth() == CV_8U) {
      cell = image;
    } else {
      cv::normalize(image, cell, 0, 255, cv::NORM_MINMAX, CV_8U);
    }
    if (cell.channels() == 1) cv::cvtColor(cell, cell, cv::COLOR_GRAY2BGR);
    return cell;
  };
  style.decorate = [&labels](cv::Mat& grid, const cv::Rect& cell, std::size_t index) {
    if (index >= labels.size()) return;
    cv::putText(grid, labels[index], cell.tl() + cv::Point(8, 24), cv::FONT_HERSHEY_SIMPLEX, 0.7,
                cv::Scalar(0, 255, 255), 2, cv::LINE_AA);
  };
  return mosaic_grid(images, style);
}

}  // namespace conveyor::pipeline
