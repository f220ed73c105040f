// Image encoding and decoding for the tool (pipeline::read_image, write_image
// and encode_image): OpenCV's imgcodecs, which only the media plugin links.
//
// OpenEXR: Debian's OpenCV is built with it, but refuses to use it unless
// OPENCV_IO_ENABLE_OPENEXR is set when the codec is first used (CVE-driven
// opt-in). The documented `.exr` images sink needs it, so it is set here
// unless the user set it (to 0, to keep it off): `conveyor` sets it at start,
// before any thread exists (app/cli.cpp); programs that link these objects
// directly get it from this static initializer, before main().
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>

#include "conveyor/pipeline/media_plugin.hpp"

namespace conveyor::media {
namespace {

const struct Registration {
  Registration() {
    if (std::getenv("OPENCV_IO_ENABLE_OPENEXR") == nullptr)
      ::setenv("OPENCV_IO_ENABLE_OPENEXR", "1", 0);
    pipeline::register_image_codecs(
        {[](const std::string& path, int flags) { return cv::imread(path, flags); },
         [](const std::string& path, const cv::Mat& image, const std::vector<int>& params) {
           return cv::imwrite(path, image, params);
         },
         [](const std::string& extension, const cv::Mat& image, const std::vector<int>& params,
            std::vector<unsigned char>& bytes) {
           return cv::imencode(extension, image, bytes, params);
         }});
  }
} kRegistration;

}  // namespace
}  // namespace conveyor::media
