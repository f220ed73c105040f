// Test clip generation (see clip_fixtures.hpp).
#include "support/clip_fixtures.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <stdexcept>

namespace conveyor::testing {
namespace fs = std::filesystem;
std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

namespace {

constexpr int kBlock = 8;  // code block side, pixels

std::vector<char> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const char* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data, static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

cv::Mat clip_frame(int index, cv::Size size) {
  const int level = 28 + (index * 37) % 200;
  cv::Mat frame(size, CV_8UC3, cv::Scalar(level, 255 - level, (level * 3) % 256));
  cv::Mat texture(size.height / 2, size.width / 2, CV_8UC3);
  cv::RNG rng(static_cast<std::uint64_t>(index) + 1);
  rng.fill(texture, cv::RNG::UNIFORM, 0, 256);
  texture.copyTo(frame(cv::Rect(size.width / 2, size.height / 2, texture.cols, texture.rows)));
  cv::putText(frame, std::to_string(index), cv::Point(4, size.height / 2 + 8),
              cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(255, 255, 255), 1);
  const int bits = std::min(16, size.width / kBlock);
  for (int b = 0; b < bits; ++b) {
    const bool one = ((index >> b) & 1) != 0;
    frame(cv::Rect(b * kBlock, 0, kBlock, kBlock)).setTo(cv::Scalar::all(one ? 255 : 0));
  }
  return frame;
}

int clip_frame_index(const cv::Mat& frame) {
  if (frame.cols < kBlock || frame.rows < kBlock) return -1;
  const int bits = std::min(16, frame.cols / kBlock);
  int index = 0;
  for (int b = 0; b < bits; ++b) {
    const cv::Scalar mean = cv::mean(frame(cv::Rect(b * kBlock + 2, 2, kBlock - 4, kBlock - 4)));
    if (mean[0] > 64 && mean[0] < 192) return -1;
    if (mean[0] >= 192) index |= 1 << b;
  }
  return index;
}

std::vector<cv::Mat> write_ffv1_clip(const fs::path& path, int frames, cv::Size size, double fps) {
  if (size.width % 2 || size.height % 2)
    throw std::invalid_argument("write_ffv1_clip: OpenCV truncates odd sizes; use the CLI variant");
  cv::VideoWriter writer(path.string(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('F', 'F', 'V', '1'),
                         fps, size, true);
  if (!writer.isOpened())
    throw std::runtime_error("cannot open an FFV1 writer for " + path.string());
  std::vector<cv::Mat> written;
  for (int i = 0; i < frames; ++i) {
    written.push_back(clip_frame(i, size));
    writer.write(written.back());
  }
  writer.release();
  return written;
}

std::vector<cv::Mat> write_ffv1_clip_cli(const fs::path& path, int frames, cv::Size size,
                                         const std::string& pixel_options) {
  if (!ffmpeg_available()) return {};
  const fs::path raw = path.string() + ".bgr";
  std::vector<cv::Mat> written;
  {
    std::ofstream out(raw, std::ios::binary);
    for (int i = 0; i < frames; ++i) {
      written.push_back(clip_frame(i, size));
      const cv::Mat& f = written.back();  // freshly allocated: continuous
      out.write(reinterpret_cast<const char*>(f.data), static_cast<std::streamsize>(f.total() * 3));
    }
  }
  const std::string command = "ffmpeg -v error -nostdin -y -f rawvideo -pix_fmt bgr24 -s " +
                              std::to_string(size.width) + "x" + std::to_string(size.height) +
                              " -r 25 -i " + quoted(raw) + " -c:v ffv1 " + pixel_options + " " +
                              quoted(path);
  const int status = std::system(command.c_str());
  fs::remove(raw);
  if (status != 0) throw std::runtime_error("ffmpeg failed: " + command);
  return written;
}

void write_truncated_copy(const fs::path& from, const fs::path& to, double fraction) {
  const std::vector<char> bytes = read_bytes(from);
  write_bytes(to, bytes.data(),
              static_cast<std::size_t>(static_cast<double>(bytes.size()) * fraction));
}

bool write_mp4_without_index(const fs::path& path, int frames, cv::Size size) {
  const fs::path full = path.string() + ".full.mp4";
  {
    cv::VideoWriter writer(full.string(), cv::CAP_FFMPEG,
                           cv::VideoWriter::fourcc('m', 'p', '4', 'v'), 25, size, true);
    if (!writer.isOpened()) return false;
    for (int i = 0; i < frames; ++i) writer.write(clip_frame(i, size));
  }
  const std::vector<char> bytes = read_bytes(full);
  fs::remove(full);
  // The muxer writes the moov box after the media data: cut just before it.
  const std::string data(bytes.begin(), bytes.end());
  const std::size_t moov = data.rfind("moov");
  const std::size_t mdat = data.find("mdat");
  if (moov == std::string::npos || mdat == std::string::npos || moov < mdat || moov < 4)
    return false;
  write_bytes(path, bytes.data(), moov - 4);
  return true;
}

bool write_h264_with_garbage(const fs::path& path, std::size_t garbage) {
  if (!ffmpeg_has_encoder("libx264")) return false;
  const std::string command =
      "ffmpeg -v error -nostdin -y -f lavfi -i testsrc=size=320x240:rate=25 -frames:v 100 "
      "-c:v libx264 -bf 0 -g 10 -pix_fmt yuv420p " +
      quoted(path);
  if (std::system(command.c_str()) != 0) return false;
  std::vector<char> bytes = read_bytes(path);
  if (bytes.size() < 4 * garbage) return false;
  cv::RNG rng(1234);
  const std::size_t start = bytes.size() / 2;
  for (std::size_t i = 0; i < garbage; ++i)
    bytes[start + i] = static_cast<char>(rng.uniform(0, 256));
  write_bytes(path, bytes.data(), bytes.size());
  return true;
}

void write_zero_byte_file(const fs::path& path) {
  write_bytes(path, nullptr, 0);
}

void write_random_bytes(const fs::path& path, std::size_t bytes, std::uint64_t seed) {
  std::vector<char> data(bytes);
  cv::RNG rng(seed);
  for (char& c : data) c = static_cast<char>(rng.uniform(0, 256));
  write_bytes(path, data.data(), data.size());
}

bool ffmpeg_available() {
  static const bool available = std::system("ffmpeg -hide_banner -version > /dev/null 2>&1") == 0;
  return available;
}

bool ffmpeg_has_encoder(const std::string& name) {
  if (!ffmpeg_available()) return false;
  FILE* pipe = ::popen("ffmpeg -hide_banner -encoders 2>/dev/null", "r");
  if (pipe == nullptr) return false;
  std::string listing;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    listing.append(buffer, n);
  ::pclose(pipe);
  return listing.find(" " + name + " ") != std::string::npos;
}

}  // namespace conveyor::testing
