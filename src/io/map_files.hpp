// Feature maps as files, the way `conveyor apply -o` writes them and the
// `maps` sink writes a stage's maps: the extension picks the format, several
// maps give one file per map, text gives one file per channel.
//
//   .tif/.tiff             32-bit float, exact (LZW; 3 channels for colour)
//   .png/.jpg/.jpeg/.bmp   8-bit: float maps converted by `to_u8`, 8-bit kept
//   .txt/.csv              a text matrix, one row per line (one channel)
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>
#include <span>
#include <string>
#include <vector>

#include "conveyor/conv/post.hpp"
#include "conveyor/util/shared_path.hpp"

namespace conveyor::io {

enum class MapFormat { FloatTiff, Picture8, Text };

// The format `path`'s extension names, once its folder exists and is
// writable. Throws OutputError "cannot write output '<path>': ..." otherwise,
// so a bad output fails before any work is done.
MapFormat check_map_output(const std::filesystem::path& path);

// One named map (CV_32F or CV_8U, 1 or 3 channels).
struct NamedMap {
  std::string name;
  cv::Mat values;
};

struct MapFile {
  std::filesystem::path path;
  NamedMap map;
};

// One file per map (per channel for text): a single file keeps `output`,
// several are named `<stem>_<map name>.<ext>` (colour text `_b`, `_g`, `_r`).
std::vector<MapFile> plan_map_files(const std::vector<NamedMap>& maps,
                                    const std::filesystem::path& output);

// `out.tif` + `sobel_x` -> `out_sobel_x.tif`: the file of one map of several.
std::filesystem::path path_for_map(const std::filesystem::path& output, const std::string& name);

// A 3-channel map as three 1-channel maps named <name>_b, _g, _r; a
// 1-channel map unchanged.
std::vector<NamedMap> split_channels(const NamedMap& map);
// The name split_channels gives channel `channel` of map `map`.
std::string channel_name(const std::string& map, int channel);

// The map's values as one run of floats: borrowed when they are already
// continuous f32 (a stage's map), else converted into `storage`.
std::span<const float> float_values(const cv::Mat& values, cv::Mat& storage);

// Writes one file in its extension's format, through a hidden temporary made with
// `temporary` (the emergency exit removes it) and renamed into place only
// when complete. Throws OutputError "cannot write output '<path>': ...".
void write_map_file(const MapFile& file, conv::ToU8 to_u8, util::SharedPath& temporary);

}  // namespace conveyor::io
