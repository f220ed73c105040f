// Pixel-format normalisation shared by the sources and sinks.
#include "frame_convert.hpp"

#include <opencv2/imgproc.hpp>
#include <string>

namespace conveyor::io {

cv::Mat to_8bit(const cv::Mat& image) {
  if (image.depth() == CV_8U) return image;
  cv::Mat out;
  // 65535 / 257 = 255: full-scale 16-bit maps to full-scale 8-bit.
  const double scale = image.depth() == CV_16U ? 1.0 / 257.0 : 1.0;
  image.convertTo(out, CV_MAKETYPE(CV_8U, image.channels()), scale);  // saturates
  return out;
}

cv::Mat to_capture_format(const cv::Mat& image, config::ColorMode color) {
  cv::Mat eight = to_8bit(image);
  if (eight.channels() == 2) {  // e.g. gray+alpha from some PNGs: keep the gray plane
    cv::Mat first;
    cv::extractChannel(eight, first, 0);
    eight = first;
  }
  const bool gray = color == config::ColorMode::Gray;
  cv::Mat out;
  switch (eight.channels()) {
    case 1:
      if (gray)
        out = eight;
      else
        cv::cvtColor(eight, out, cv::COLOR_GRAY2BGR);
      break;
    case 3:
      if (gray)
        cv::cvtColor(eight, out, cv::COLOR_BGR2GRAY);
      else
        out = eight;
      break;
    default:  // 4 channels: drop alpha
      cv::cvtColor(eight, out, gray ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGRA2BGR);
      break;
  }
  return out;
}

std::string describe_mat(const cv::Mat& image) {
  static const char* const kDepths[] = {"8U", "8S", "16U", "16S", "32S", "32F", "64F", "16F"};
  return std::to_string(image.cols) + "x" + std::to_string(image.rows) + " CV_" +
         kDepths[image.depth()] + "C" + std::to_string(image.channels());
}

}  // namespace conveyor::io
