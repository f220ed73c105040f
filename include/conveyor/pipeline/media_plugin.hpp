// OpenCV's videoio, imgcodecs and highgui modules bring about 230 shared
// libraries with them (GStreamer, every codec, Qt). Resolving their symbols
// took 0.15 s at every start of the tool, more than a 300-frame run's
// filtering. So everything that needs them (the webcam and GStreamer sources,
// the display sink, and image encoding and decoding) lives in a plugin,
// libconveyor_media.so, that the tool loads the first time a pipeline or
// command needs one of them. Video files are read and written with FFmpeg's
// libraries directly, so a run from one video file to another (or to a null
// sink) never loads it.
//
// Node types in the plugin register their descriptors like any other
// (config/node_registry.hpp: the registry loads the plugin when a lookup
// misses); the image codecs register through register_image_codecs.
// Programs that link the media objects directly (the tests) never load it.
#pragma once

#include <functional>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace conveyor::pipeline {

// Loads the plugin once (later calls return at once). Throws
// std::runtime_error naming where it looked and why loading failed.
void load_media_plugin();

struct ImageCodecs {
  std::function<cv::Mat(const std::string& path, int flags)> read;  // cv::imread
  std::function<bool(const std::string& path, const cv::Mat& image,
                     const std::vector<int>& params)>
      write;  // cv::imwrite
  std::function<bool(const std::string& extension, const cv::Mat& image,
                     const std::vector<int>& params, std::vector<unsigned char>& bytes)>
      encode;  // cv::imencode
};
void register_image_codecs(ImageCodecs codecs);

// cv::imread and cv::imwrite, through the plugin (loaded on first use). They
// throw cv::Exception and return empty / false exactly as OpenCV does;
// read_image also throws InputError for a truncated JPEG file, which OpenCV
// decodes with the missing rows made up.
cv::Mat read_image(const std::string& path, int flags);
bool write_image(const std::string& path, const cv::Mat& image,
                 const std::vector<int>& params = {});
// cv::imencode: the encoded file in memory, so that the caller writes it and
// sees the system's reason when that fails (a full disk, a read-only folder).
bool encode_image(const std::string& extension, const cv::Mat& image,
                  const std::vector<int>& params, std::vector<unsigned char>& bytes);

}  // namespace conveyor::pipeline
