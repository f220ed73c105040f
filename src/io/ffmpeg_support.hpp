// Helpers shared by the video decoder and encoder, which call FFmpeg's
// libraries directly.
#pragma once

#include <string>

namespace conveyor::io {

// FFmpeg's words for an error code ("Invalid data found when processing input").
std::string av_error_text(int code);

// Sends FFmpeg's own log lines to the debug log, once per process: the
// stages report problems themselves, in words, once.
void route_ffmpeg_log_once();

// True when the first plane of `pixel_format` (an AVPixelFormat) holds 8-bit
// luma, one byte per pixel: gray is then that plane, with no colour maths.
bool luma_is_plain_plane(int pixel_format);

// The deprecated "J" YUV formats (yuvj420p ...): full-range (JPEG) luma by
// definition, whatever a frame's color_range says.
bool is_jpeg_range_format(int pixel_format);

// Threads for a decoder or encoder: `requested`, or one per core (at most 16,
// as FFmpeg's codecs gain little beyond) when it is 0.
int codec_threads(int requested);

}  // namespace conveyor::io
