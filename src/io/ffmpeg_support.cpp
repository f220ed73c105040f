#include "ffmpeg_support.hpp"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
}

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstdarg>
#include <mutex>
#include <thread>

namespace conveyor::io {
namespace {

void log_to_spdlog(void* context, int level, const char* format, va_list args) {
  if (level > AV_LOG_WARNING || !spdlog::should_log(spdlog::level::debug)) return;
  std::array<char, 1024> line{};
  int print_prefix = 1;
  av_log_format_line2(context, level, format, args, line.data(), line.size(), &print_prefix);
  std::string text = line.data();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  spdlog::debug("ffmpeg: {}", text);
}

}  // namespace

std::string av_error_text(int code) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> text{};
  av_strerror(code, text.data(), text.size());
  return text.data();
}

void route_ffmpeg_log_once() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(log_to_spdlog); });
}

bool luma_is_plain_plane(int pixel_format) {
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(pixel_format));
  if (desc == nullptr) return false;
  const auto excluded = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL |
                        AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_FLOAT | AV_PIX_FMT_FLAG_BAYER;
  if ((desc->flags & excluded) != 0) return false;
  const AVComponentDescriptor& luma = desc->comp[0];
  return luma.plane == 0 && luma.step == 1 && luma.depth == 8 && luma.shift == 0 &&
         luma.offset == 0;
}

bool is_jpeg_range_format(int pixel_format) {
  switch (pixel_format) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
    case AV_PIX_FMT_YUVJ411P:
      return true;
    default:
      return false;
  }
}

int codec_threads(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 16u));
}

}  // namespace conveyor::io
