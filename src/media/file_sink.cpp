/* Sink `file`: a video file written by FFmpeg (named explicitly, so OpenCV
 * never falls back to an image sequence or another backend).
 *
 * Inputs:  CV_8UC1, CV_8UC3 or CV_32FC1/3 maps of one size (the first frame's).
 * Outputs: one video file, BGR; gray maps are written as BGR so every
 *          container takes them, float maps saturated to 8 bits.
 * Parameters: path (.mkv: FFV1 lossless, .mp4: mp4v, .avi: MJPG), fourcc
 *          (overrides the codec), fps (default: the source's).
 *
 *   sinks:
 *     - { type: file, path: out/edges.mkv }
 *     - { type: file, path: out/edges.avi, fourcc: MJPG, fps: 25 }
 *
 * Safety: the writer opens at the first frame on `.<name>.partial.<pid>.<ext>`
 * in the output folder (created if missing) and the file is renamed into
 * place only after a successful release(); abort() deletes it. A frame whose
 * size, type or channels differ from the first frame's is refused with an
 * OutputError (VideoWriter would drop it silently). OpenCV's FFmpeg writer
 * truncates odd widths and heights, so odd-sized frames are padded by one
 * replicated column/row instead (nothing is lost; the file is one pixel
 * larger, noted in the stats).
 * Verification: finish() reopens the file and counts its frames by decoding
 * them all; any difference from the frames written — for every codec, the
 * lossy defaults included, since none of them may merge or drop frames at a
 * constant rate — is an OutputError.
 */
#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "file_checks.hpp"
#include "frame_convert.hpp"

namespace conveyor::stages {
namespace {

namespace fs = std::filesystem;
using pipeline::OutputError;

std::string default_fourcc(const std::string& ext) {
  if (ext == ".mkv") return "FFV1";
  if (ext == ".mp4") return "mp4v";
  if (ext == ".avi") return "MJPG";
  return "";
}

class FileSink final : public pipeline::Sink {
 public:
  explicit FileSink(const config::SinkSpec& spec)
      : params_(std::get<config::FileSink>(spec.params)), path_(params_.path) {}
  ~FileSink() override {
    if (writer_.isOpened()) abort();
  }

  void open(const pipeline::SinkContext& context) override {
    if (params_.fourcc.empty()) params_.fourcc = default_fourcc(lower_extension(path_));
    if (params_.fourcc.size() != 4) {
      throw OutputError("video file '" + path_.string() + "': no codec for '" +
                        path_.extension().string() + "'; use .mkv, .mp4 or .avi, or set fourcc");
    }
    const double fps = params_.fps.value_or(context.fps);
    fps_ = std::isfinite(fps) && fps > 0 && fps <= 1000 ? fps : 30.0;
    ensure_parent_folder(path_, "video file");
    std::error_code ec;
    if (fs::is_directory(path_, ec))
      throw OutputError("video file '" + path_.string() + "': is a directory");
    stats_.output = path_.string();
  }

  void write(const cv::Mat& image, std::int64_t sequence) override {
    if (finished_) throw OutputError("video file '" + path_.string() + "': already finished");
    if (image.empty())
      throw OutputError("video file '" + path_.string() + "': frame " + std::to_string(sequence) +
                        " is empty");
    if (!writer_.isOpened()) open_writer(image);
    if (image.size() != first_size_ || image.type() != first_type_) {
      ++stats_.rejected;
      throw OutputError("video file '" + path_.string() + "': frame " + std::to_string(sequence) +
                        " is " + describe_mat(image) + ", the file was opened for " +
                        describe_mat(cv::Mat(first_size_, first_type_)) + "; frame refused");
    }
    cv::Mat bgr = to_capture_format(image, config::ColorMode::Bgr);
    if (bgr.size() != encoded_size_) {
      cv::copyMakeBorder(bgr, bgr, 0, encoded_size_.height - bgr.rows, 0,
                         encoded_size_.width - bgr.cols, cv::BORDER_REPLICATE);
    }
    try {
      writer_.write(bgr);
    } catch (const cv::Exception& e) {
      ++stats_.rejected;
      throw OutputError("video file '" + path_.string() + "': writing frame " +
                        std::to_string(sequence) + " failed: " + e.what());
    }
    ++stats_.written;
  }

  void finish() override {
    if (finished_) return;
    finished_ = true;
    if (!writer_.isOpened()) {
      stats_.notes = "no frames: nothing written";
      spdlog::warn("video file '{}': no frames reached it; nothing written", path_.string());
      return;
    }
    try {
      writer_.release();
    } catch (const cv::Exception& e) {
      remove_temporary();
      throw OutputError("video file '" + path_.string() + "': finalizing failed: " + e.what());
    }
    std::error_code ec;
    if (fs::file_size(temporary_, ec) == 0 || ec) {
      remove_temporary();
      throw OutputError("video file '" + path_.string() + "': the encoder produced an empty file");
    }
    rename_into_place(temporary_, path_, "video file");
    temporary_.clear();
    verify();
  }

  void abort() noexcept override {
    try {
      writer_.release();
    } catch (...) {  // nothing useful to do: the file is deleted next
    }
    remove_temporary();
    finished_ = true;
  }

  pipeline::SinkStats stats() const override { return stats_; }

  std::vector<std::string> temporary_files() const override {
    if (temporary_.empty()) return {};
    return {temporary_.string()};
  }

 private:
  void open_writer(const cv::Mat& first) {
    first_size_ = first.size();
    first_type_ = first.type();
    // FFmpeg's writer in OpenCV 4.6 truncates odd sizes: pad to even instead.
    encoded_size_ = cv::Size(first.cols + first.cols % 2, first.rows + first.rows % 2);
    if (encoded_size_ != first_size_) {
      stats_.notes = "frames padded from " + std::to_string(first.cols) + "x" +
                     std::to_string(first.rows) + " to " + std::to_string(encoded_size_.width) +
                     "x" + std::to_string(encoded_size_.height) + " (FFmpeg needs even sizes)";
      spdlog::warn("video file '{}': {}", path_.string(), stats_.notes);
    }
    temporary_ = temporary_path_for(path_);
    const std::string& cc = params_.fourcc;
    const int fourcc = cv::VideoWriter::fourcc(cc[0], cc[1], cc[2], cc[3]);
    try {
      writer_.open(temporary_.string(), cv::CAP_FFMPEG, fourcc, fps_, encoded_size_, true);
    } catch (const cv::Exception& e) {
      spdlog::warn("video file '{}': {}", path_.string(), e.what());
    }
    if (!writer_.isOpened()) {
      remove_temporary();
      throw OutputError(
          "video file '" + path_.string() + "': FFmpeg cannot open a writer for fourcc " + cc +
          " in a " + lower_extension(path_) + " container at " +
          std::to_string(encoded_size_.width) + "x" + std::to_string(encoded_size_.height) +
          " (is the codec available and allowed in that container?)");
    }
    spdlog::debug("video file '{}': writing {} {}x{} at {} fps to {}", path_.string(), cc,
                  encoded_size_.width, encoded_size_.height, fps_, temporary_.string());
  }

  // Reopens the finished file: the first frame is decoded to check its size,
  // then the stored frames are counted, never trusting the header. Counting
  // demuxes without decoding (OpenCV's raw mode: one packet per frame for the
  // codecs written here), which takes a few milliseconds where decoding the
  // file again took a quarter of a second per 300 720p frames; where raw mode
  // is refused, every frame is decoded instead.
  void verify() {
    cv::VideoCapture check = reopen();
    cv::Mat first;
    if (!check.read(first) && stats_.written > 0) {
      throw OutputError("video file '" + path_.string() +
                        "': verification failed: the first frame cannot be decoded");
    }
    if (!first.empty() && first.size() != encoded_size_) {
      throw OutputError("video file '" + path_.string() +
                        "': verification failed: frames read back as " + describe_mat(first) +
                        ", written as " + std::to_string(encoded_size_.width) + "x" +
                        std::to_string(encoded_size_.height));
    }
    std::int64_t frames = first.empty() ? 0 : 1;
    cv::VideoCapture packets = reopen();
    if (packets.set(cv::CAP_PROP_FORMAT, -1)) {
      frames = 0;
      while (packets.grab()) ++frames;
    } else {
      while (check.grab()) ++frames;
    }
    if (frames != stats_.written) {
      throw OutputError("video file '" + path_.string() +
                        "': verification failed: " + std::to_string(stats_.written) +
                        " frames written, " + std::to_string(frames) + " stored");
    }
    const std::string verified = "verified: " + std::to_string(frames) + " frames";
    stats_.notes = stats_.notes.empty() ? verified : verified + "; " + stats_.notes;
  }

  cv::VideoCapture reopen() const {
    cv::VideoCapture capture;
    try {
      capture.open(path_.string(), cv::CAP_FFMPEG);
    } catch (const cv::Exception&) {
    }
    if (!capture.isOpened())
      throw OutputError("video file '" + path_.string() + "': written but cannot be reopened");
    return capture;
  }

  void remove_temporary() noexcept {
    if (temporary_.empty()) return;
    std::error_code ec;
    fs::remove(temporary_, ec);
    temporary_.clear();
  }

  config::FileSink params_;
  fs::path path_;
  double fps_ = 30;
  cv::VideoWriter writer_;
  fs::path temporary_;
  cv::Size first_size_;
  int first_type_ = 0;
  cv::Size encoded_size_;
  bool finished_ = false;
  pipeline::SinkStats stats_;
};

const struct Registration {
  Registration() {
    pipeline::register_sink(config::SinkType::File, [](const config::SinkSpec& spec) {
      return std::make_unique<FileSink>(spec);
    });
  }
} kRegistration;

}  // namespace
}  // namespace conveyor::stages
