// How the `images` sink turns a map into what each file format holds, shared
// with the probe that `validate` runs (encoder_probe.cpp).
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace conveyor::io {

// .tif/.tiff keep CV_32F maps; .exr holds only floats, so 8-bit maps become
// floats of the same values (0..255); every other format gets 8 bits, float
// maps saturated to 0..255. `extension` is lower case with its dot.
cv::Mat image_for_format(const cv::Mat& image, const std::string& extension);

// Encoder parameters: OpenCV writes 3-channel float TIFF as lossy SGILOG
// (negatives lost), so TIFF asks for LZW, lossless for every depth.
std::vector<int> image_params(const cv::Mat& image, const std::string& extension);

}  // namespace conveyor::io
