// A video file encoded with FFmpeg's libraries directly (libavformat,
// libavcodec, libswscale), for the `file` sink.
//
// Why not cv::VideoWriter: OpenCV 4.6 takes BGR only, so a gray map was
// converted to BGR (cvtColor) and then to YUV (swscale) on the sink's single
// thread, and its encoder ran on that thread too. Here a gray frame becomes
// the luma plane directly (chroma neutral), and the encoder uses slice and
// frame threads where the codec has them.
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

namespace conveyor::io {

struct EncoderSettings {
  std::string fourcc;  // codec, as a four-character code: FFV1, mp4v, MJPG, avc1, ...
  double fps = 30;
  cv::Size size;      // every frame's size
  bool color = true;  // BGR frames; false: 1-channel gray frames
  int threads = 0;    // encoder threads; 0: one per core
};

class VideoEncoder {
 public:
  VideoEncoder();
  ~VideoEncoder();  // abandons an unfinished file (as abort())
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  // Creates `path` (container from its extension) and the encoder. Throws
  // std::runtime_error naming the fourcc, the container and FFmpeg's reason.
  void open(const std::string& path, const EncoderSettings& settings);
  bool is_open() const;
  // Encodes one 8-bit frame of the opened size and channel count (CV_8UC3
  // BGR or CV_8UC1). Throws std::runtime_error on an encoder or I/O error,
  // pipeline::PersistentOutputError when the storage is full, read-only or
  // failing (ENOSPC, EDQUOT, EIO, EROFS, EFBIG).
  void write(const cv::Mat& frame);
  // Flushes the encoder, writes the trailer and closes the file. Throws
  // std::runtime_error if any of it fails.
  void finish();
  // Closes without a trailer (the caller deletes the file). Never throws.
  void abort() noexcept;
  std::string codec_name() const;  // "mpeg4", for messages

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The size frames are encoded at: 4:2:0 video needs even sizes, so an odd
// width or height is padded by one replicated column or row, never cropped.
inline cv::Size encodable_size(cv::Size frame) {
  return {frame.width + frame.width % 2, frame.height + frame.height % 2};
}

// The video packets of a file, counted by demuxing without decoding (one per
// frame for the codecs the sink writes). -1 if the file cannot be opened.
std::int64_t count_video_packets(const std::string& path);

}  // namespace conveyor::io
