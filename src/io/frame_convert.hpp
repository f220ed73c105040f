// Conversions shared by sources and sinks: whatever a decoder or a filter
// stage hands over becomes the 8-bit layout the next step expects.
#pragma once

#include <opencv2/core.hpp>

#include "conveyor/config/pipeline_spec.hpp"

namespace conveyor::io {

// 8-bit with saturation. Float and signed values are taken as 0..255 (what
// the filter stages produce); 16-bit values are scaled by 1/257 so white stays
// white. 8-bit input is returned as is (shared, not copied).
cv::Mat to_8bit(const cv::Mat& image);

// The capture format: CV_8UC1 for Gray, CV_8UC3 BGR for Bgr, from 1-, 2-, 3-
// or 4-channel input of any depth. Shares memory with `image` when no
// conversion is needed: read into a fresh Mat, never a reused decoder buffer.
cv::Mat to_capture_format(const cv::Mat& image, config::ColorMode color);

// "641x481 CV_8UC3" for messages.
std::string describe_mat(const cv::Mat& image);

}  // namespace conveyor::io
