// Reading the input picture and writing feature maps, with every failure
// turned into exit code 3 (input) or 4 (output) and a message that names the
// file and what was expected.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "conveyor/conv/combine.hpp"
#include "conveyor/conv/image.hpp"

namespace conveyor::app {

// A picture ready for the engine: 8-bit or 32-bit float, 1 or 3 channels.
struct InputImage {
  cv::Mat mat;
  std::string description;  // "640x480 8-bit 3-channel image" for logs

  conv::ImageView view() const;
};

// Any image OpenCV decodes (alpha dropped, 16-bit and other depths converted
// to float with their values kept) or a .txt/.csv text matrix (1-channel f32).
InputImage load_input(const std::filesystem::path& path);

enum class OutputFormat { FloatTiff, Picture8, Text };

// Throws ExitError(Output) for an unknown extension or a missing folder, so a
// bad -o fails before any work is done.
OutputFormat check_output_path(const std::filesystem::path& path);

struct WriteOptions {
  conv::ToU8 to_u8 = conv::ToU8::MinMax;
};

// Writes one map in the format the extension names: .tif/.tiff exact 32-bit
// float, .png/.jpg/.jpeg/.bmp 8-bit, .txt/.csv a text matrix (1 channel).
// The file appears at `path` only once complete (written aside, then renamed).
void write_map(const conv::FeatureMap& map, const std::filesystem::path& path,
               const WriteOptions& options);

// `out.tif` + `sobel_x` -> `out_sobel_x.tif`: one file per map of a bank.
std::filesystem::path path_for_map(const std::filesystem::path& output, const std::string& name);

// A 3-channel map as three 1-channel maps named <name>_b, _g, _r (text has
// no channels); a 1-channel map unchanged.
std::vector<conv::FeatureMap> split_channels(const conv::FeatureMap& map);

}  // namespace conveyor::app
