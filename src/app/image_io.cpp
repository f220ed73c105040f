#include "image_io.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <system_error>

#include "conveyor/pipeline/checked_write.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/util/exit_codes.hpp"
#include "conveyor/util/temp_names.hpp"
#include "conveyor/util/text_matrix.hpp"

namespace conveyor::app {
namespace fs = std::filesystem;
using util::ExitCode;
using util::ExitError;

namespace {

constexpr const char* kInputKinds =
    "an image OpenCV reads (PNG, JPEG, TIFF, BMP, PGM ...) or a .txt/.csv text matrix";
constexpr int kTiffLzw = 5;  // libtiff's COMPRESSION_LZW
constexpr const char* kOutputKinds = ".tif, .tiff, .png, .jpg, .jpeg, .bmp, .txt or .csv";

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool is_text_extension(const std::string& ext) {
  return ext == ".txt" || ext == ".csv";
}

[[noreturn]] void input_error(const fs::path& path, const std::string& problem) {
  throw ExitError(ExitCode::Input,
                  "input '" + path.string() + "' " + problem + "; expected " + kInputKinds);
}

[[noreturn]] void output_error(const fs::path& path, const std::string& problem) {
  throw ExitError(ExitCode::Output, "cannot write output '" + path.string() + "': " + problem);
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

// Encodes in memory and writes with every write checked: cv::imwrite's PNG
// writer returns true on a full disk and leaves a truncated file.
bool encode_and_write(const fs::path& temp, const cv::Mat& image, const std::vector<int>& params) {
  std::vector<unsigned char> bytes;
  if (!pipeline::encode_image(lower_extension(temp), image, params, bytes)) return false;
  pipeline::write_file_checked(temp, bytes.data(), bytes.size(), "the writer");
  return true;
}

// Writes through a hidden name in the same folder (util/temp_names.hpp),
// renamed into place only when complete: a failed or killed run never leaves
// a half file at `path`, and two runs never share a temporary.
template <typename Writer>
void write_atomically(const fs::path& path, Writer&& writer) {
  const fs::path temp = util::temporary_name_for(path);
  std::string problem;
  try {
    errno = 0;
    if (!writer(temp)) {
      // The encoder only says false; errno says why (a full disk, a read-only folder).
      problem = errno != 0 ? std::string("the writer failed: ") + std::strerror(errno)
                           : "the writer failed (is the folder writable?)";
    }
  } catch (const cv::Exception& error) {
    problem = "OpenCV could not write it: " + error.err;
  } catch (const pipeline::OutputError& error) {
    problem = error.what();
  }
  std::error_code ec;
  if (problem.empty()) fs::rename(temp, path, ec);
  if (problem.empty() && ec) problem = "cannot move it into place: " + ec.message();
  if (!problem.empty()) {
    fs::remove(temp, ec);
    output_error(path, problem);
  }
}

}  // namespace

conv::ImageView InputImage::view() const {
  conv::ImageView view;
  view.data = mat.data;
  view.width = mat.cols;
  view.height = mat.rows;
  view.channels = mat.channels();
  view.type = mat.depth() == CV_8U ? conv::PixelType::U8 : conv::PixelType::F32;
  view.stride_bytes = mat.step[0];
  return view;
}

InputImage load_input(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) input_error(path, "does not exist");
  if (fs::is_directory(status)) input_error(path, "is a directory");
  if (!fs::is_regular_file(status)) input_error(path, "is not a regular file");
  if (fs::file_size(path, ec) == 0 && !ec) input_error(path, "is empty (0 bytes)");
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe || probe.peek() == std::ifstream::traits_type::eof()) {
      input_error(path, std::string("cannot be read (") + std::strerror(errno) + ")");
    }
  }
  InputImage input;
  if (is_text_extension(lower_extension(path))) {
    try {
      const util::TextMatrix matrix = util::read_text_matrix(path);
      input.mat = cv::Mat(matrix.height, matrix.width, CV_32FC1);
      std::copy(matrix.values.begin(), matrix.values.end(), input.mat.ptr<float>());
    } catch (const util::TextMatrixError& error) {
      throw ExitError(ExitCode::Input,
                      std::string("input is not a valid text matrix: ") + error.what());
    }
    input.description =
        std::to_string(input.mat.cols) + "x" + std::to_string(input.mat.rows) + " text matrix";
    return input;
  }
  cv::Mat decoded;
  try {
    decoded = pipeline::read_image(path.string(), cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& error) {
    input_error(path, "could not be decoded (" + error.err + ")");
  }
  if (decoded.empty()) input_error(path, "is not an image OpenCV can decode");
  input.mat = normalise_picture(decoded, path);
  input.description = std::to_string(input.mat.cols) + "x" + std::to_string(input.mat.rows) + " " +
                      (input.mat.depth() == CV_8U ? "8-bit " : "32-bit float ") +
                      std::to_string(input.mat.channels()) + "-channel image";
  return input;
}

OutputFormat check_output_path(const fs::path& path) {
  const std::string ext = lower_extension(path);
  OutputFormat format = OutputFormat::Text;
  if (ext == ".tif" || ext == ".tiff") {
    format = OutputFormat::FloatTiff;
  } else if (ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp") {
    format = OutputFormat::Picture8;
  } else if (!is_text_extension(ext)) {
    output_error(path, (ext.empty() ? std::string("it has no extension")
                                    : "unknown extension '" + ext + "'") +
                           "; expected " + kOutputKinds);
  }
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::exists(folder, ec))
    output_error(path, "folder '" + folder.string() + "' does not exist");
  if (!fs::is_directory(folder, ec))
    output_error(path, "'" + folder.string() + "' is not a folder");
  if (fs::is_directory(path, ec)) output_error(path, "it is a directory; expected a file name");
  if (::access(folder.c_str(), W_OK) != 0) {
    output_error(path,
                 "folder '" + folder.string() + "' is not writable (" + std::strerror(errno) + ")");
  }
  return format;
}

void write_map(const conv::FeatureMap& map, const fs::path& path, const WriteOptions& options) {
  const std::string ext = lower_extension(path);
  switch (check_output_path(path)) {
    case OutputFormat::FloatTiff: {
      // Borrowed, not copied: the map outlives the write.
      const cv::Mat mat(map.height, map.width, CV_32FC(map.channels),
                        const_cast<float*>(map.data.data()));
      // Name a lossless compression: OpenCV's default for 3-channel float TIFF
      // is SGILOG (LogLuv), which is lossy and cannot hold negative values.
      const std::vector<int> params{cv::IMWRITE_TIFF_COMPRESSION, kTiffLzw};
      write_atomically(path,
                       [&](const fs::path& temp) { return encode_and_write(temp, mat, params); });
      return;
    }
    case OutputFormat::Picture8: {
      std::vector<unsigned char> pixels = conv::to_u8(map, options.to_u8);
      const cv::Mat mat(map.height, map.width, CV_8UC(map.channels), pixels.data());
      write_atomically(path, [&](const fs::path& temp) { return encode_and_write(temp, mat, {}); });
      return;
    }
    case OutputFormat::Text: {
      if (map.channels != 1) {
        output_error(path, "a text matrix holds one channel, the map has " +
                               std::to_string(map.channels) + "; expected a 1-channel map");
      }
      write_atomically(path, [&](const fs::path& temp) {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        util::write_text_matrix(out, map.data.data(), map.width, map.height, map.stride(),
                                ext == ".csv" ? ',' : ' ');
        out.close();
        return !out.fail();
      });
      return;
    }
  }
}

fs::path path_for_map(const fs::path& output, const std::string& name) {
  return output.parent_path() / (output.stem().string() + "_" + name + output.extension().string());
}

std::vector<conv::FeatureMap> split_channels(const conv::FeatureMap& map) {
  if (map.channels == 1) return {map};
  static const char* const kBgr[] = {"b", "g", "r"};
  std::vector<conv::FeatureMap> planes;
  for (int c = 0; c < map.channels; ++c) {
    conv::FeatureMap plane;
    plane.name = map.name + "_" + (c < 3 ? kBgr[c] : std::to_string(c));
    plane.width = map.width;
    plane.height = map.height;
    plane.channels = 1;
    plane.data.resize(static_cast<std::size_t>(map.width) * map.height);
    for (int y = 0; y < map.height; ++y) {
      for (int x = 0; x < map.width; ++x) {
        plane.data[static_cast<std::size_t>(y) * map.width + x] = map.at(y, x, c);
      }
    }
    planes.push_back(std::move(plane));
  }
  return planes;
}

}  // namespace conveyor::app
