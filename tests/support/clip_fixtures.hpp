// Test inputs generated on the fly: clean clips with a known frame order, and
// the damaged files real users feed a video tool (truncated, unindexed,
// corrupted, empty, random). Everything lives in a per-test temporary folder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"  // TempDir, where fixtures are written

namespace conveyor::testing {

// Frame `index` of a test clip (CV_8UC3): a per-frame gray level, seeded
// texture, the number drawn, and the index coded in the top row of 8x8
// black/white blocks (read back by clip_frame_index, even after lossy coding).
// `size` must be at least 64x16.
cv::Mat clip_frame(int index, cv::Size size);
int clip_frame_index(const cv::Mat& frame);  // -1 if the code is unreadable

// A lossless FFV1 .mkv written by cv::VideoWriter (CAP_FFMPEG): returns the
// frames written, which decode back bit for bit. Even sizes only (OpenCV's
// FFmpeg writer truncates odd ones).
std::vector<cv::Mat> write_ffv1_clip(const std::filesystem::path& path, int frames, cv::Size size,
                                     double fps = 25);

// The same, encoded by the ffmpeg command-line tool from raw frames, so odd
// sizes (641x481) survive. Empty when ffmpeg is not installed. Other pixel
// formats (e.g. "-pix_fmt yuv420p") are lossless only after ffmpeg's own
// conversion from the returned BGR frames.
std::vector<cv::Mat> write_ffv1_clip_cli(const std::filesystem::path& path, int frames,
                                         cv::Size size,
                                         const std::string& pixel_options = "-pix_fmt bgr0");

// The first `fraction` of `from`'s bytes: a file cut mid-stream.
void write_truncated_copy(const std::filesystem::path& from, const std::filesystem::path& to,
                          double fraction);

// An mp4v .mp4 whose index (moov atom, written last) was never written, as
// after a killed recorder. False if the writer failed.
bool write_mp4_without_index(const std::filesystem::path& path, int frames, cv::Size size);

// A 100-frame 320x240 H.264 .mp4 (ffmpeg + libx264, no B-frames, GOP 10)
// with `garbage` bytes overwritten by seeded random bytes in the middle of the
// stream. False when ffmpeg or libx264 is not available.
bool write_h264_with_garbage(const std::filesystem::path& path, std::size_t garbage = 4096);

void write_zero_byte_file(const std::filesystem::path& path);
void write_random_bytes(const std::filesystem::path& path, std::size_t bytes,
                        std::uint64_t seed = 7);

bool ffmpeg_available();
// `path` in single quotes, for the ffmpeg command lines the fixtures build.
std::string quoted(const std::filesystem::path& path);
bool ffmpeg_has_encoder(const std::string& name);

}  // namespace conveyor::testing
