#include "video_decoder.hpp"

#include "ffmpeg_support.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <mutex>
#include <opencv2/imgproc.hpp>

namespace conveyor::io {
namespace {

using Clock = std::chrono::steady_clock;

// Limited ("TV", 16..235) luma must be stretched to 0..255, as swscale does
// when it converts such a frame to BGR. JPEG-range formats and plain gray are
// full range already.
bool luma_is_limited_range(const AVFrame& frame) {
  if (frame.color_range == AVCOL_RANGE_JPEG || is_jpeg_range_format(frame.format)) return false;
  if (frame.format == AV_PIX_FMT_GRAY8) return frame.color_range == AVCOL_RANGE_MPEG;
  return true;
}

// The clockwise turn (0, 90, 180 or 270 degrees) that shows the video
// upright, from the stream's display matrix, as FFmpeg's and OpenCV's
// auto-rotation compute it: phones store portrait video as rotated landscape.
int upright_rotation(const AVStream& stream) {
  const std::uint8_t* matrix = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (matrix == nullptr) return 0;
  const double counter_clockwise =
      av_display_rotation_get(reinterpret_cast<const std::int32_t*>(matrix));
  if (!std::isfinite(counter_clockwise)) return 0;
  const long quarter_turns = std::lround(-counter_clockwise / 90.0);
  return static_cast<int>(((quarter_turns % 4) + 4) % 4) * 90;
}

cv::Mat limited_to_full_range_table() {
  cv::Mat table(1, 256, CV_8U);
  for (int y = 0; y < 256; ++y) {
    const double full = std::round((y - 16) * 255.0 / 219.0);
    table.at<std::uint8_t>(y) = static_cast<std::uint8_t>(std::clamp(full, 0.0, 255.0));
  }
  return table;
}

}  // namespace

struct VideoDecoder::State {
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVPacket* packet = nullptr;
  AVFrame* frame = nullptr;
  SwsContext* scaler = nullptr;
  int stream = -1;
  bool input_ended = false;  // the demuxer is at the end: the decoder is flushing
  int rotation = 0;          // clockwise degrees applied to every frame
  DecoderOptions options;
  std::optional<Clock::time_point> deadline;  // checked by FFmpeg while it blocks
  std::string last_error;
  cv::Mat range_table = limited_to_full_range_table();

  static int interrupted(void* opaque) {
    const auto* self = static_cast<const State*>(opaque);
    return self->deadline && Clock::now() > *self->deadline ? 1 : 0;
  }

  void arm(int timeout_ms) { deadline = Clock::now() + std::chrono::milliseconds(timeout_ms); }

  void release() {
    sws_freeContext(scaler);
    scaler = nullptr;
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    avformat_close_input(&format);
    stream = -1;
    input_ended = false;
    rotation = 0;
  }

  std::optional<std::string> open(const std::string& path) {
    format = avformat_alloc_context();
    if (format == nullptr) return "out of memory";
    format->interrupt_callback = {&State::interrupted, this};
    arm(options.open_timeout_ms);
    // On failure avformat_open_input frees the context and nulls the pointer.
    if (const int rc = avformat_open_input(&format, path.c_str(), nullptr, nullptr); rc < 0)
      return av_error_text(rc);
    if (const int rc = avformat_find_stream_info(format, nullptr); rc < 0)
      return "cannot read stream information: " + av_error_text(rc);
    const AVCodec* decoder = nullptr;
    stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (stream < 0) {
      return stream == AVERROR_DECODER_NOT_FOUND ? "no decoder for its video codec"
                                                 : "it holds no video stream";
    }
    codec = avcodec_alloc_context3(decoder);
    packet = av_packet_alloc();
    frame = av_frame_alloc();
    if (codec == nullptr || packet == nullptr || frame == nullptr) return "out of memory";
    const AVStream* video = format->streams[stream];
    if (const int rc = avcodec_parameters_to_context(codec, video->codecpar); rc < 0)
      return av_error_text(rc);
    codec->pkt_timebase = video->time_base;
    rotation = upright_rotation(*video);
    codec->thread_count = codec_threads(options.threads);
    codec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    if (const int rc = avcodec_open2(codec, decoder, nullptr); rc < 0)
      return "cannot open the " + std::string(decoder->name) + " decoder: " + av_error_text(rc);
    deadline.reset();
    return std::nullopt;
  }

  // Feeds the decoder one packet of the video stream (or the flush signal at
  // the end of the input). Failed: the packet was lost (undecodable, or the
  // read failed or timed out).
  DecodeResult feed() {
    for (;;) {
      arm(options.read_timeout_ms);
      const int rc = av_read_frame(format, packet);
      deadline.reset();
      if (rc == AVERROR_EOF) {
        input_ended = true;
        avcodec_send_packet(codec, nullptr);  // enter draining mode
        return DecodeResult::Frame;
      }
      if (rc < 0) {
        last_error = "read failed: " + av_error_text(rc);
        return DecodeResult::Failed;
      }
      const bool video = packet->stream_index == stream;
      const int sent = video ? avcodec_send_packet(codec, packet) : 0;
      av_packet_unref(packet);
      if (!video) continue;  // audio, subtitles: not frames
      if (sent < 0) {
        last_error = av_error_text(sent);
        return DecodeResult::Failed;
      }
      return DecodeResult::Frame;
    }
  }

  DecodeResult receive() {
    for (;;) {
      const int rc = avcodec_receive_frame(codec, frame);
      if (rc >= 0) return DecodeResult::Frame;
      if (rc == AVERROR_EOF) return DecodeResult::End;
      if (rc != AVERROR(EAGAIN)) {
        last_error = av_error_text(rc);
        return DecodeResult::Failed;
      }
      if (input_ended) return DecodeResult::End;
      if (const DecodeResult fed = feed(); fed != DecodeResult::Frame) return fed;
    }
  }

  cv::Mat to_bgr() {
    scaler = sws_getCachedContext(
        scaler, frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
        frame->width, frame->height, AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (scaler == nullptr) return {};
    cv::Mat bgr(frame->height, frame->width, CV_8UC3);
    std::array<std::uint8_t*, 4> planes = {bgr.data, nullptr, nullptr, nullptr};
    std::array<int, 4> steps = {static_cast<int>(bgr.step[0]), 0, 0, 0};
    sws_scale(scaler, frame->data, frame->linesize, 0, frame->height, planes.data(), steps.data());
    return bgr;
  }

  cv::Mat convert(config::ColorMode color) {
    cv::Mat image = convert_as_stored(color);
    if (rotation == 0 || image.empty()) return image;
    cv::Mat turned;
    cv::rotate(image, turned,
               rotation == 90    ? cv::ROTATE_90_CLOCKWISE
               : rotation == 180 ? cv::ROTATE_180
                                 : cv::ROTATE_90_COUNTERCLOCKWISE);
    return turned;
  }

  cv::Mat convert_as_stored(config::ColorMode color) {
    if (color == config::ColorMode::Gray && luma_is_plain_plane(frame->format) &&
        frame->linesize[0] > 0) {
      const cv::Mat luma(frame->height, frame->width, CV_8UC1, frame->data[0],
                         static_cast<std::size_t>(frame->linesize[0]));
      cv::Mat gray;
      if (luma_is_limited_range(*frame)) {
        cv::LUT(luma, range_table, gray);
      } else {
        luma.copyTo(gray);
      }
      return gray;
    }
    cv::Mat bgr = to_bgr();
    if (color == config::ColorMode::Bgr || bgr.empty()) return bgr;
    cv::Mat gray;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    return gray;
  }
};

VideoDecoder::VideoDecoder() : state_(std::make_unique<State>()) {}

VideoDecoder::~VideoDecoder() {
  close();
}

std::optional<std::string> VideoDecoder::open(const std::string& path,
                                              const DecoderOptions& options) {
  route_ffmpeg_log_once();
  close();
  state_->options = options;
  auto failure = state_->open(path);
  if (failure) state_->release();
  return failure;
}

bool VideoDecoder::is_open() const {
  return state_->codec != nullptr;
}

void VideoDecoder::close() {
  state_->release();
}

DecodeResult VideoDecoder::next(cv::Mat* out, config::ColorMode color) {
  if (!is_open()) return DecodeResult::End;
  const DecodeResult result = state_->receive();
  if (result != DecodeResult::Frame) return result;
  if (out != nullptr) {
    *out = state_->convert(color);
    if (out->empty()) {
      const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(state_->frame->format));
      state_->last_error =
          "no conversion from pixel format " + std::string(name != nullptr ? name : "unknown");
      av_frame_unref(state_->frame);
      return DecodeResult::Failed;
    }
  }
  av_frame_unref(state_->frame);
  return DecodeResult::Frame;
}

double VideoDecoder::header_fps() const {
  if (!is_open()) return 0;
  const AVStream* video = state_->format->streams[state_->stream];
  double fps = av_q2d(video->avg_frame_rate);
  if (!(fps > 0)) fps = av_q2d(video->r_frame_rate);
  return std::isfinite(fps) ? fps : 0;
}

std::optional<std::int64_t> VideoDecoder::header_frames() const {
  if (!is_open()) return std::nullopt;
  const AVStream* video = state_->format->streams[state_->stream];
  if (video->nb_frames > 0) return video->nb_frames;
  // No count in the container (MKV): estimate it from the duration.
  double seconds = 0;
  if (state_->format->duration != AV_NOPTS_VALUE)
    seconds = static_cast<double>(state_->format->duration) / AV_TIME_BASE;
  if (!(seconds > 0) && video->duration != AV_NOPTS_VALUE)
    seconds = static_cast<double>(video->duration) * av_q2d(video->time_base);
  const double frames = std::floor(seconds * header_fps() + 0.5);
  if (!std::isfinite(frames) || frames < 1 || frames > 1e10) return std::nullopt;
  return static_cast<std::int64_t>(frames);
}

std::string VideoDecoder::last_error() const {
  return state_->last_error;
}

int VideoDecoder::rotation() const {
  return state_->rotation;
}

}  // namespace conveyor::io
