#include "map_files.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "conveyor/pipeline/checked_write.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/util/temp_names.hpp"
#include "conveyor/util/text_matrix.hpp"
#include "file_checks.hpp"
#include "picture_input.hpp"

namespace conveyor::io {
namespace fs = std::filesystem;
using pipeline::OutputError;

namespace {

constexpr int kTiffLzw = 5;  // libtiff's COMPRESSION_LZW
constexpr const char* kOutputKinds = ".tif, .tiff, .png, .jpg, .jpeg, .bmp, .txt or .csv";

[[noreturn]] void output_error(const fs::path& path, const std::string& problem) {
  throw OutputError("cannot write output '" + path.string() + "': " + problem);
}

// Encodes in memory and writes with every write checked: cv::imwrite's PNG
// writer returns true on a full disk and leaves a truncated file.
bool encode_and_write(const fs::path& temp, const cv::Mat& image, const std::vector<int>& params) {
  std::vector<unsigned char> bytes;
  if (!pipeline::encode_image(lower_extension(temp), image, params, bytes)) return false;
  pipeline::write_file_checked(temp, bytes.data(), bytes.size(), "the writer");
  return true;
}

bool write_text(const fs::path& temp, const NamedMap& map, char separator) {
  cv::Mat values;
  float_values(map.values, values);
  std::ofstream out(temp, std::ios::binary | std::ios::trunc);
  util::write_text_matrix(out, values.ptr<float>(), values.cols, values.rows,
                          static_cast<std::size_t>(values.cols), separator);
  out.close();
  return !out.fail();
}

// Writes through a hidden name in the same folder (util/temp_names.hpp),
// renamed into place only when complete: a failed or killed run never leaves
// a half file at `path`, and two runs never share a temporary.
template <typename Writer>
void write_atomically(const fs::path& path, util::SharedPath& temporary, Writer&& writer) {
  const fs::path temp = util::temporary_name_for(path);
  std::string problem;
  try {
    errno = 0;
    bool written = false;
    const bool created = temporary.create(temp, [&] { written = writer(temp); });
    if (!created) {
      problem = "not written: the run is aborting without finalizing outputs";
    } else if (!written) {
      // The encoder only says false; errno says why (a full disk, a read-only folder).
      problem = errno != 0 ? std::string("the writer failed: ") + std::strerror(errno)
                           : "the writer failed (is the folder writable?)";
    }
  } catch (const cv::Exception& error) {
    problem = "OpenCV could not write it: " + error.err;
  } catch (const OutputError& error) {
    problem = error.what();
  }
  std::error_code ec;
  if (problem.empty()) fs::rename(temp, path, ec);
  if (problem.empty() && ec) problem = "cannot move it into place: " + ec.message();
  if (!problem.empty()) temporary.remove_file();
  temporary.clear();
  if (!problem.empty()) output_error(path, problem);
}

}  // namespace

std::span<const float> float_values(const cv::Mat& values, cv::Mat& storage) {
  storage = values;
  if (storage.depth() != CV_32F) values.convertTo(storage, CV_32F);
  if (!storage.isContinuous()) storage = storage.clone();
  return {storage.ptr<float>(), storage.total() * static_cast<std::size_t>(storage.channels())};
}

fs::path path_for_map(const fs::path& output, const std::string& name) {
  return output.parent_path() / (output.stem().string() + "_" + name + output.extension().string());
}

MapFormat check_map_output(const fs::path& path) {
  const std::string ext = lower_extension(path);
  MapFormat format = MapFormat::Text;
  if (ext == ".tif" || ext == ".tiff") {
    format = MapFormat::FloatTiff;
  } else if (ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp") {
    format = MapFormat::Picture8;
  } else if (ext != ".txt" && ext != ".csv") {
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

std::string channel_name(const std::string& map, int channel) {
  static const char* const kBgr[] = {"b", "g", "r"};
  return map + "_" + (channel < 3 ? kBgr[channel] : std::to_string(channel));
}

std::vector<NamedMap> split_channels(const NamedMap& map) {
  if (map.values.channels() == 1) return {map};
  std::vector<cv::Mat> planes;
  cv::split(map.values, planes);
  std::vector<NamedMap> named;
  for (std::size_t c = 0; c < planes.size(); ++c) {
    named.push_back({channel_name(map.name, static_cast<int>(c)), planes[c]});
  }
  return named;
}

std::vector<MapFile> plan_map_files(const std::vector<NamedMap>& maps, const fs::path& output) {
  const bool text = is_text_matrix_path(output);
  std::vector<NamedMap> files;
  for (const auto& map : maps) {
    if (text && map.values.channels() > 1) {
      for (auto& plane : split_channels(map)) files.push_back(std::move(plane));
    } else {
      files.push_back(map);
    }
  }
  std::vector<MapFile> planned;
  for (auto& map : files) {
    fs::path path = files.size() == 1 ? output : path_for_map(output, map.name);
    planned.push_back({std::move(path), std::move(map)});
  }
  return planned;
}

void write_map_file(const MapFile& file, conv::ToU8 to_u8, util::SharedPath& temporary) {
  const fs::path& path = file.path;
  const cv::Mat& values = file.map.values;
  switch (check_map_output(path)) {
    case MapFormat::FloatTiff: {
      cv::Mat exact = values;  // a stage's f32 map as it is; 8-bit values as floats
      if (exact.depth() != CV_32F) values.convertTo(exact, CV_32F);
      // Name a lossless compression: OpenCV's default for 3-channel float TIFF
      // is SGILOG (LogLuv), which is lossy and cannot hold negative values.
      const std::vector<int> params{cv::IMWRITE_TIFF_COMPRESSION, kTiffLzw};
      write_atomically(path, temporary,
                       [&](const fs::path& temp) { return encode_and_write(temp, exact, params); });
      return;
    }
    case MapFormat::Picture8: {
      cv::Mat picture = values;  // 8-bit maps (a stage's post) are pictures already
      std::vector<unsigned char> pixels;
      if (values.depth() != CV_8U) {
        cv::Mat storage;
        pixels = conv::to_u8(float_values(values, storage), to_u8);
        picture = cv::Mat(values.rows, values.cols, CV_8UC(values.channels()), pixels.data());
      }
      write_atomically(path, temporary,
                       [&](const fs::path& temp) { return encode_and_write(temp, picture, {}); });
      return;
    }
    case MapFormat::Text: {
      if (values.channels() != 1) {
        output_error(path, "a text matrix holds one channel, the map has " +
                               std::to_string(values.channels()) + "; expected a 1-channel map");
      }
      const char separator = lower_extension(path) == ".csv" ? ',' : ' ';
      write_atomically(path, temporary,
                       [&](const fs::path& temp) { return write_text(temp, file.map, separator); });
      return;
    }
  }
}

}  // namespace conveyor::io
