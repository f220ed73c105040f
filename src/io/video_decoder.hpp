// A video file decoded with FFmpeg's libraries directly (libavformat,
// libavcodec, libswscale), for the `file` source.
//
// Why not cv::VideoCapture: OpenCV 4.6 converts every frame to BGR (a
// swscale pass) and a gray pipeline then converts it back (a cvtColor pass);
// together a fifth of a gray video run's CPU time. Here a gray frame is the
// luma plane itself (expanded to full range when the video is limited-range),
// and only other pixel formats go through swscale. Reading directly also tells
// an undecodable packet (Failed) apart from the end of the stream (End), which
// OpenCV's read() cannot.
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "conveyor/config/pipeline_spec.hpp"

namespace conveyor::io {

enum class DecodeResult {
  Frame,   // a frame was decoded (and converted, if asked)
  Failed,  // a packet or frame could not be decoded, or a read timed out
  End,     // the stream is over and the decoder drained
};

struct DecoderOptions {
  int open_timeout_ms = 10000;  // opening and probing the file
  int read_timeout_ms = 10000;  // each read of a packet
  int threads = 0;              // decoder threads; 0: one per core
};

class VideoDecoder {
 public:
  VideoDecoder();
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  // Opens the first video stream of `path`. On failure returns FFmpeg's
  // reason ("Invalid data found when processing input") and stays closed.
  std::optional<std::string> open(const std::string& path, const DecoderOptions& options);
  bool is_open() const;
  void close();

  // Decodes the next frame into `out` (a fresh buffer, never shared with the
  // decoder) as CV_8UC1 for Gray or CV_8UC3 BGR for Bgr. With `out` null the
  // frame is decoded and discarded (seeking by decoding).
  DecodeResult next(cv::Mat* out, config::ColorMode color);

  // What the container claims: frame count (from the index, or duration x
  // frame rate as OpenCV estimates it) and frame rate. Hints, not facts.
  std::optional<std::int64_t> header_frames() const;
  double header_fps() const;
  std::string last_error() const;  // FFmpeg's words for the last Failed
  // Clockwise degrees (0, 90, 180, 270) every frame is turned by, so that
  // video recorded in portrait (display matrix) comes out upright.
  int rotation() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace conveyor::io
