#include "image_format.hpp"

#include <opencv2/imgcodecs.hpp>

#include "frame_convert.hpp"

namespace conveyor::io {
namespace {

bool is_tiff(const std::string& extension) {
  return extension == ".tif" || extension == ".tiff";
}

}  // namespace

cv::Mat image_for_format(const cv::Mat& image, const std::string& extension) {
  const bool exr = extension == ".exr";
  if (image.depth() == CV_32F && (exr || is_tiff(extension))) return image;
  if (exr) {
    cv::Mat as_float;
    image.convertTo(as_float, CV_32F);
    return as_float;
  }
  return to_8bit(image);
}

std::vector<int> image_params(const cv::Mat& image, const std::string& extension) {
  if (!is_tiff(extension) || image.depth() != CV_32F) return {};
  return {cv::IMWRITE_TIFF_COMPRESSION, 5};  // LZW
}

}  // namespace conveyor::io
