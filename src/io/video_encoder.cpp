#include "video_encoder.hpp"

#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/test_hooks.hpp"
#include "ffmpeg_support.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace conveyor::io {
namespace {

std::string pixel_format_name(AVPixelFormat format) {
  const char* name = av_get_pix_fmt_name(format);
  return name != nullptr ? name : "unknown";
}

bool supports(const AVCodec& encoder, AVPixelFormat wanted) {
  if (encoder.pix_fmts == nullptr) return false;
  for (const AVPixelFormat* format = encoder.pix_fmts; *format != AV_PIX_FMT_NONE; ++format)
    if (*format == wanted) return true;
  return false;
}

// Lossless codecs keep gray as gray and colour as BGR; the others get the
// 4:2:0 YUV every player reads (full-range for MJPEG, as JPEG is).
AVPixelFormat choose_pixel_format(const AVCodec& encoder, bool color) {
  if (!color && encoder.id == AV_CODEC_ID_FFV1 && supports(encoder, AV_PIX_FMT_GRAY8))
    return AV_PIX_FMT_GRAY8;
  if (color && encoder.id == AV_CODEC_ID_FFV1 && supports(encoder, AV_PIX_FMT_BGR0))
    return AV_PIX_FMT_BGR0;
  if (encoder.id == AV_CODEC_ID_MJPEG && supports(encoder, AV_PIX_FMT_YUVJ420P))
    return AV_PIX_FMT_YUVJ420P;
  if (supports(encoder, AV_PIX_FMT_YUV420P) || encoder.pix_fmts == nullptr)
    return AV_PIX_FMT_YUV420P;
  return encoder.pix_fmts[0];
}

bool is_full_range(AVPixelFormat format) {
  return is_jpeg_range_format(format) || format == AV_PIX_FMT_GRAY8;
}

// 0..255 gray to TV-range luma (16..235), as swscale maps it.
cv::Mat full_to_limited_range_table() {
  cv::Mat table(1, 256, CV_8U);
  for (int v = 0; v < 256; ++v)
    table.at<std::uint8_t>(v) = static_cast<std::uint8_t>(std::lround(16 + v * 219.0 / 255.0));
  return table;
}

cv::Mat plane(const AVFrame& frame, int index, int rows, int cols, int type) {
  return cv::Mat(rows, cols, type, frame.data[index],
                 static_cast<std::size_t>(frame.linesize[index]));
}

}  // namespace

struct VideoEncoder::State {
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  SwsContext* scaler = nullptr;
  std::int64_t next_pts = 0;
  bool header_written = false;
  EncoderSettings settings;
  std::string path;
  cv::Mat limited_range = full_to_limited_range_table();

  // A full disk, an I/O error or a read-only filesystem will fail every
  // later frame too: PersistentOutputError stops the run at once.
  [[noreturn]] void fail(const std::string& what, int code) const {
    const std::string text = what + ": " + av_error_text(code);
    if (code < 0 && pipeline::is_persistent_write_error(AVUNERROR(code)))
      throw pipeline::PersistentOutputError(text);
    throw std::runtime_error(text);
  }

  void release() noexcept {
    sws_freeContext(scaler);
    scaler = nullptr;
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    if (format != nullptr) {
      if ((format->oformat->flags & AVFMT_NOFILE) == 0) avio_closep(&format->pb);
      avformat_free_context(format);
      format = nullptr;
    }
    stream = nullptr;
    next_pts = 0;
    header_written = false;
  }

  const AVCodec& find_encoder() const {
    const std::string& cc = settings.fourcc;
    const std::uint32_t tag = MKTAG(cc[0], cc[1], cc[2], cc[3]);
    const std::array<const AVCodecTag*, 3> tables = {avformat_get_riff_video_tags(),
                                                     avformat_get_mov_video_tags(), nullptr};
    const AVCodecID id = av_codec_get_id(tables.data(), tag);
    const AVCodec* encoder = id == AV_CODEC_ID_NONE ? nullptr : avcodec_find_encoder(id);
    if (encoder == nullptr) {
      throw std::runtime_error("no encoder for fourcc " + cc +
                               (id == AV_CODEC_ID_NONE
                                    ? " (unknown code)"
                                    : std::string(" (") + avcodec_get_name(id) + ")"));
    }
    if (avformat_query_codec(format->oformat, id, FF_COMPLIANCE_NORMAL) == 0) {
      throw std::runtime_error(std::string("the ") + format->oformat->name +
                               " container does not take " + encoder->name + " (fourcc " + cc +
                               ")");
    }
    return *encoder;
  }

  void open() {
    if (const int rc = avformat_alloc_output_context2(&format, nullptr, nullptr, path.c_str());
        rc < 0 || format == nullptr)
      fail("no container for this file name", rc < 0 ? rc : AVERROR(EINVAL));
    const AVCodec& encoder = find_encoder();
    stream = avformat_new_stream(format, nullptr);
    codec = avcodec_alloc_context3(&encoder);
    frame = av_frame_alloc();
    packet = av_packet_alloc();
    if (stream == nullptr || codec == nullptr || frame == nullptr || packet == nullptr)
      throw std::runtime_error("out of memory");

    AVRational rate = av_d2q(settings.fps, 65535);  // MPEG-4 allows 16-bit time bases only
    if (rate.num <= 0 || rate.den <= 0) rate = {30, 1};
    codec->width = settings.size.width;
    codec->height = settings.size.height;
    codec->pix_fmt = choose_pixel_format(encoder, settings.color);
    codec->color_range = is_full_range(codec->pix_fmt) ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    codec->time_base = av_inv_q(rate);
    codec->framerate = rate;
    codec->gop_size = 12;
    codec->max_b_frames = 0;  // one packet per frame, in order: the count is verifiable
    // About one bit per pixel, as OpenCV's writer asks: sharp edges stay sharp.
    const double bits = std::min(settings.fps * settings.size.area(), INT_MAX / 2.0);
    codec->bit_rate = static_cast<std::int64_t>(bits);
    codec->thread_count = codec_threads(settings.threads);
    codec->thread_type = FF_THREAD_SLICE | FF_THREAD_FRAME;
    if ((format->oformat->flags & AVFMT_GLOBALHEADER) != 0)
      codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (const int rc = avcodec_open2(codec, &encoder, nullptr); rc < 0)
      fail(std::string("cannot open the ") + encoder.name + " encoder for " +
               pixel_format_name(codec->pix_fmt),
           rc);
    if (const int rc = avcodec_parameters_from_context(stream->codecpar, codec); rc < 0)
      fail("cannot set the stream parameters", rc);
    stream->time_base = codec->time_base;
    stream->avg_frame_rate = rate;

    frame->format = codec->pix_fmt;
    frame->width = codec->width;
    frame->height = codec->height;
    if (const int rc = av_frame_get_buffer(frame, 0); rc < 0) fail("cannot allocate a frame", rc);

    if ((format->oformat->flags & AVFMT_NOFILE) == 0) {
      if (const int rc = avio_open(&format->pb, path.c_str(), AVIO_FLAG_WRITE); rc < 0)
        fail("cannot create the file", rc);
    }
    if (const int rc = avformat_write_header(format, nullptr); rc < 0)
      fail("cannot write the container header", rc);
    header_written = true;
  }

  // Fills `frame` from an 8-bit gray or BGR picture of the opened size.
  void fill(const cv::Mat& image) {
    const auto pixel = static_cast<AVPixelFormat>(frame->format);
    const int rows = frame->height;
    const int cols = frame->width;
    if (image.channels() == 1 && pixel == AV_PIX_FMT_GRAY8) {
      image.copyTo(plane(*frame, 0, rows, cols, CV_8UC1));
      return;
    }
    if (image.channels() == 3 && pixel == AV_PIX_FMT_BGR0) {
      cv::Mat bgra = plane(*frame, 0, rows, cols, CV_8UC4);
      cv::cvtColor(image, bgra, cv::COLOR_BGR2BGRA);
      return;
    }
    if (image.channels() == 1 && luma_is_plain_plane(pixel)) {
      // Gray is all luma: chroma planes stay neutral (128).
      cv::Mat luma = plane(*frame, 0, rows, cols, CV_8UC1);
      if (is_full_range(pixel)) {
        image.copyTo(luma);
      } else {
        cv::LUT(image, limited_range, luma);
      }
      const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(pixel);
      const int chroma_rows = AV_CEIL_RSHIFT(rows, desc->log2_chroma_h);
      for (int p = 1; p < 4 && frame->data[p] != nullptr; ++p)
        std::memset(frame->data[p], 128,
                    static_cast<std::size_t>(frame->linesize[p]) * chroma_rows);
      return;
    }
    cv::Mat bgr = image;
    if (image.channels() == 1) cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
    scaler = sws_getCachedContext(scaler, cols, rows, AV_PIX_FMT_BGR24, cols, rows, pixel,
                                  SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (scaler == nullptr)
      throw std::runtime_error("no conversion from BGR to " + pixel_format_name(pixel));
    const std::array<const std::uint8_t*, 4> source = {bgr.data, nullptr, nullptr, nullptr};
    const std::array<int, 4> steps = {static_cast<int>(bgr.step[0]), 0, 0, 0};
    sws_scale(scaler, source.data(), steps.data(), 0, rows, frame->data, frame->linesize);
  }

  // Moves every packet the encoder has ready into the file.
  void drain(bool final) {
    for (;;) {
      const int rc = avcodec_receive_packet(codec, packet);
      if (rc == AVERROR(EAGAIN) && !final) return;
      if (rc == AVERROR_EOF) return;
      if (rc < 0) fail("encoding failed", rc);
      av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      if (const int written = av_interleaved_write_frame(format, packet); written < 0)
        fail("writing to the file failed", written);
    }
  }
};

VideoEncoder::VideoEncoder() : state_(std::make_unique<State>()) {}

VideoEncoder::~VideoEncoder() {
  abort();
}

void VideoEncoder::open(const std::string& path, const EncoderSettings& settings) {
  route_ffmpeg_log_once();
  abort();
  if (settings.fourcc.size() != 4)
    throw std::runtime_error("fourcc '" + settings.fourcc + "' is not four characters");
  state_->settings = settings;
  state_->path = path;
  try {
    state_->open();
  } catch (...) {
    state_->release();
    throw;
  }
}

bool VideoEncoder::is_open() const {
  return state_->header_written;
}

void VideoEncoder::write(const cv::Mat& image) {
  if (!is_open()) throw std::runtime_error("the encoder is not open");
  if (const auto& hook = pipeline::test_hooks::before_encode())
    hook(state_->path, state_->next_pts);
  if (const int rc = av_frame_make_writable(state_->frame); rc < 0)
    state_->fail("cannot reuse the frame buffer", rc);
  state_->fill(image);
  state_->frame->pts = state_->next_pts++;
  if (const int rc = avcodec_send_frame(state_->codec, state_->frame); rc < 0)
    state_->fail("encoding failed", rc);
  state_->drain(false);
}

void VideoEncoder::finish() {
  if (!is_open()) return;
  try {
    if (const int rc = avcodec_send_frame(state_->codec, nullptr); rc < 0)
      state_->fail("flushing the encoder failed", rc);
    state_->drain(true);
    if (const int rc = av_write_trailer(state_->format); rc < 0)
      state_->fail("writing the trailer failed", rc);
    if ((state_->format->oformat->flags & AVFMT_NOFILE) == 0) {
      if (const int rc = avio_closep(&state_->format->pb); rc < 0)
        state_->fail("closing the file failed", rc);
    }
  } catch (...) {
    state_->release();
    throw;
  }
  state_->release();
}

void VideoEncoder::abort() noexcept {
  state_->release();
}

std::string VideoEncoder::codec_name() const {
  return state_->codec != nullptr && state_->codec->codec != nullptr ? state_->codec->codec->name
                                                                     : "";
}

std::int64_t count_video_packets(const std::string& path) {
  route_ffmpeg_log_once();
  AVFormatContext* format = nullptr;
  if (avformat_open_input(&format, path.c_str(), nullptr, nullptr) < 0) return -1;
  std::int64_t packets = -1;
  if (avformat_find_stream_info(format, nullptr) >= 0) {
    const int stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (stream >= 0) {
      packets = 0;
      AVPacket* packet = av_packet_alloc();
      while (packet != nullptr && av_read_frame(format, packet) >= 0) {
        if (packet->stream_index == stream) ++packets;
        av_packet_unref(packet);
      }
      av_packet_free(&packet);
    }
  }
  avformat_close_input(&format);
  return packets;
}

}  // namespace conveyor::io
