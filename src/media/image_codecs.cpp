// Image encoding and decoding for the tool (pipeline::read_image and
// write_image): OpenCV's imgcodecs, which only the media plugin links.
#include <opencv2/imgcodecs.hpp>

#include "conveyor/pipeline/media_plugin.hpp"

namespace conveyor::media {
namespace {

const struct Registration {
  Registration() {
    pipeline::register_image_codecs(
        {[](const std::string& path, int flags) { return cv::imread(path, flags); },
         [](const std::string& path, const cv::Mat& image, const std::vector<int>& params) {
           return cv::imwrite(path, image, params);
         }});
  }
} kRegistration;

}  // namespace
}  // namespace conveyor::media
