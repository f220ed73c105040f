/* Source `images`: a sequence of still images, or one image.
 *
 * Inputs:  image files OpenCV can read (PNG, JPEG, TIFF, BMP, ...), any depth
 *          and channel count (16-bit is scaled, alpha dropped, float saturated).
 * Outputs: frames as CV_8UC1 (color: gray) or CV_8UC3 BGR (color: bgr),
 *          numbered 0, 1, 2 ... in sequence order.
 * Parameters: pattern — one of
 *            a glob: `*.png` or `f_??.tif`, in a folder or not (wildcards in the file name only;
 *                    names sorted in natural order, f2 before f10; hidden files
 *                    such as a sink's `.x.png.partial.host.1.f00d.png` are skipped);
 *            a printf pattern: `frames/frame_%04d.png` (from index 0, or 1 if
 *                    there is no 0, up to the first missing index);
 *            a path: `photo.jpg` (one frame);
 *          fps (timestamps and realtime pacing).
 *
 *   source: { type: images, pattern: "frames/frame_%04d.png", fps: 25, color: gray }
 *
 * No file matching is an InputError. A file that exists but cannot be decoded
 * mid-sequence is a Gap (decode_gap) with a warning; the run goes on.
 */
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>

#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/pipeline/source.hpp"
#include "conveyor/util/rate_limited_log.hpp"
#include "file_checks.hpp"
#include "frame_convert.hpp"
#include "frame_pattern.hpp"

namespace conveyor::stages {
namespace {

namespace fs = std::filesystem;
using pipeline::InputError;
using pipeline::ReadStatus;

class ImagesSource final : public pipeline::Source {
 public:
  explicit ImagesSource(const config::SourceSpec& spec)
      : params_(std::get<config::ImagesSource>(spec.params)), color_(spec.color) {}

  void open() override {
    files_.clear();
    std::optional<PrintfPattern> numbered;
    try {
      numbered = parse_printf_pattern(params_.pattern);
    } catch (const std::invalid_argument& e) {
      throw InputError("image pattern '" + params_.pattern + "': " + e.what());
    }
    if (numbered) {
      list_numbered(*numbered);
    } else if (has_glob(params_.pattern)) {
      list_glob();
    } else {
      check_readable_file(params_.pattern, "image");
      files_.push_back(params_.pattern);
    }
    spdlog::debug("images '{}': {} file(s), first {}", params_.pattern, files_.size(),
                  files_.front().string());
  }

  ReadStatus read(cv::Mat& frame, std::int64_t& source_index) override {
    if (next_ >= files_.size()) return ReadStatus::End;
    const fs::path& file = files_[next_];
    source_index = static_cast<std::int64_t>(next_++);
    cv::Mat image;
    try {
      image = pipeline::read_image(file.string(), cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
      util::frame_warnings().warn("decoder error in images '" + params_.pattern + "'",
                                  "image '" + file.string() + "': " + e.what());
    }
    if (image.empty()) {
      util::frame_warnings().warn(
          "decode_gap in images '" + params_.pattern + "'",
          "image '" + file.string() + "' cannot be decoded; counted as a decode gap");
      ++stats_.gaps;
      return ReadStatus::Gap;
    }
    if (!first_size_.empty() && image.size() != first_size_ && !size_warned_) {
      size_warned_ = true;
      spdlog::warn("image '{}' is {}x{}, the sequence started at {}x{}", file.string(), image.cols,
                   image.rows, first_size_.width, first_size_.height);
    }
    if (first_size_.empty()) first_size_ = image.size();
    frame = to_capture_format(image, color_);
    ++stats_.frames;
    return ReadStatus::Frame;
  }

  std::optional<std::int64_t> expected_frames() const override {
    return static_cast<std::int64_t>(files_.size());
  }
  double fps() const override { return params_.fps > 0 ? params_.fps : 30.0; }
  pipeline::SourceStats stats() const override { return stats_; }
  std::string describe() const override { return "images " + params_.pattern; }

 private:
  // frame_%04d.png: from 0 (or 1 when 0 is missing) to the first gap.
  void list_numbered(const PrintfPattern& pattern) {
    std::int64_t index = fs::exists(pattern.format(0)) ? 0 : 1;
    for (std::string name = pattern.format(index); fs::exists(name);
         name = pattern.format(++index)) {
      files_.emplace_back(name);
    }
    if (files_.empty()) {
      throw InputError("image pattern '" + params_.pattern + "': no file matches (tried '" +
                       pattern.format(0) + "' and '" + pattern.format(1) + "')");
    }
  }

  void list_glob() {
    const fs::path pattern(params_.pattern);
    fs::path folder = pattern.parent_path();
    const std::string name_pattern = pattern.filename().string();
    if (has_glob(folder.string())) {
      throw InputError("image pattern '" + params_.pattern +
                       "': wildcards are supported in the file name only, not in folders");
    }
    if (folder.empty()) folder = ".";
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
      throw InputError("image pattern '" + params_.pattern + "': folder '" + folder.string() +
                       "' does not exist");
    }
    const bool hidden = !name_pattern.empty() && name_pattern.front() == '.';
    try {
      for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (!hidden && name.front() == '.') continue;
        if (entry.is_directory(ec) || !glob_match(name_pattern, name)) continue;
        files_.push_back(pattern.parent_path() / name);
      }
    } catch (const fs::filesystem_error& e) {
      throw InputError("image pattern '" + params_.pattern + "': cannot list '" + folder.string() +
                       "': " + e.code().message());
    }
    if (files_.empty())
      throw InputError("image pattern '" + params_.pattern + "': no file matches");
    std::sort(files_.begin(), files_.end(), [](const fs::path& a, const fs::path& b) {
      return natural_less(a.filename().string(), b.filename().string());
    });
  }

  config::ImagesSource params_;
  config::ColorMode color_;
  std::vector<fs::path> files_;
  std::size_t next_ = 0;
  cv::Size first_size_;
  bool size_warned_ = false;
  pipeline::SourceStats stats_;
};

const struct Registration {
  Registration() {
    pipeline::register_source(config::SourceType::Images, [](const config::SourceSpec& spec) {
      return std::make_unique<ImagesSource>(spec);
    });
  }
} kRegistration;

}  // namespace
}  // namespace conveyor::stages
