// One picture with its values kept, for the `picture` source (and so for
// `conveyor apply`): what the learner's matrix or a float TIFF holds is what
// the kernels see.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>
#include <string>

namespace conveyor::io {

struct Picture {
  cv::Mat values;           // CV_8UC1/3 or CV_32FC1/3, continuous
  std::string description;  // "640x480 8-bit 3-channel image" for logs
};

// Any image OpenCV decodes (alpha dropped, 8-bit kept, 16-bit and other
// depths converted to float with their values kept) or a .txt/.csv text
// matrix (1-channel float). Throws InputError "input '<path>' <problem>;
// expected ..." for a missing, empty, unreadable or undecodable file, and for
// anything but a regular file (a pipe is read by `images`, not here).
Picture load_picture(const std::filesystem::path& path);

// True for .txt and .csv (any case): a text matrix, not a picture.
bool is_text_matrix_path(const std::filesystem::path& path);

}  // namespace conveyor::io
