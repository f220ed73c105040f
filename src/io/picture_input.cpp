#include "picture_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/util/text_matrix.hpp"
#include "file_checks.hpp"

namespace conveyor::io {
namespace fs = std::filesystem;

namespace {

constexpr const char* kInputKinds =
    "an image OpenCV reads (PNG, JPEG, TIFF, BMP, PGM ...) or a .txt/.csv text matrix";

[[noreturn]] void input_error(const fs::path& path, const std::string& problem) {
  throw pipeline::InputError("input '" + path.string() + "' " + problem + "; expected " +
                             kInputKinds);
}

// Brings any decoded picture to 1 or 3 channels of 8-bit or 32-bit float.
cv::Mat normalise_picture(cv::Mat mat, const fs::path& path) {
  if (mat.channels() == 4) {
    if (mat.depth() != CV_8U && mat.depth() != CV_32F) mat.convertTo(mat, CV_32F);
    cv::cvtColor(mat, mat, cv::COLOR_BGRA2BGR);
  } else if (mat.channels() == 2) {
    cv::extractChannel(mat, mat, 0);  // gray + alpha: keep the gray
  } else if (mat.channels() != 1 && mat.channels() != 3) {
    input_error(path, "has " + std::to_string(mat.channels()) + " channels (1 to 4 are supported)");
  }
  if (mat.depth() != CV_8U && mat.depth() != CV_32F) mat.convertTo(mat, CV_32F);
  return mat.isContinuous() ? mat : mat.clone();
}

// Checked before decoding, so each problem is named in words.
void require_regular_readable(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) input_error(path, "does not exist");
  if (fs::is_directory(status)) input_error(path, "is a directory");
  if (!fs::is_regular_file(status)) input_error(path, "is not a regular file");
  if (fs::file_size(path, ec) == 0 && !ec) input_error(path, "is empty (0 bytes)");
  std::ifstream probe(path, std::ios::binary);
  if (!probe || probe.peek() == std::ifstream::traits_type::eof()) {
    input_error(path, std::string("cannot be read (") + std::strerror(errno) + ")");
  }
}

Picture load_text_matrix(const fs::path& path) {
  Picture picture;
  try {
    const util::TextMatrix matrix = util::read_text_matrix(path);
    picture.values = cv::Mat(matrix.height, matrix.width, CV_32FC1);
    std::copy(matrix.values.begin(), matrix.values.end(), picture.values.ptr<float>());
  } catch (const util::TextMatrixError& error) {
    throw pipeline::InputError(std::string("input is not a valid text matrix: ") + error.what());
  }
  picture.description = std::to_string(picture.values.cols) + "x" +
                        std::to_string(picture.values.rows) + " text matrix";
  return picture;
}

}  // namespace

bool is_text_matrix_path(const fs::path& path) {
  const std::string ext = lower_extension(path);
  return ext == ".txt" || ext == ".csv";
}

Picture load_picture(const fs::path& path) {
  require_regular_readable(path);
  if (is_text_matrix_path(path)) return load_text_matrix(path);
  cv::Mat decoded;
  try {
    decoded = pipeline::read_image(path.string(), cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& error) {
    input_error(path, "could not be decoded (" + error.err + ")");
  }
  if (decoded.empty()) input_error(path, "is not an image OpenCV can decode");
  Picture picture;
  picture.values = normalise_picture(decoded, path);
  const cv::Mat& mat = picture.values;
  picture.description = std::to_string(mat.cols) + "x" + std::to_string(mat.rows) + " " +
                        (mat.depth() == CV_8U ? "8-bit " : "32-bit float ") +
                        std::to_string(mat.channels()) + "-channel image";
  return picture;
}

}  // namespace conveyor::io
