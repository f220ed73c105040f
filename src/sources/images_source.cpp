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
 *            a printf pattern: `frames/frame_%04d.png` (every file of the folder
 *                    with that shape, in number order from the lowest: frame_0012.png,
 *                    not frame_12.png; the field must be in the file name);
 *            a path: `photo.jpg` (one frame);
 *          fps (timestamps and realtime pacing).
 *
 *   source: { type: images, pattern: "frames/frame_%04d.png", fps: 25, color: gray }
 *
 * No file matching is an InputError. A file that exists but cannot be decoded
 * mid-sequence is a Gap (decode_gap) with a warning; the run goes on. Holes in
 * the numbering (g_3.png missing between g_2.png and g_4.png) do not end the
 * sequence, for globs and printf patterns alike: the files after them are read
 * too, and the first hole is named in a warning at open and in the source's
 * notes (the summary's log and the report's `source_notes`).
 */
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/pipeline/source.hpp"
#include "conveyor/util/frame_pattern.hpp"
#include "conveyor/util/rate_limited_log.hpp"
#include "file_checks.hpp"
#include "frame_convert.hpp"

namespace conveyor::sources {
namespace {

namespace fs = std::filesystem;
using namespace config::pipeline_detail;
using namespace io;
using pipeline::InputError;
using pipeline::ReadStatus;
using util::describe_gaps;
using util::glob_match;
using util::has_glob;
using util::natural_less;
using util::numbering_gaps;
using util::parse_printf_pattern;
using util::PrintfPattern;

struct Params final : config::SourceParams {
  std::string pattern;  // glob (*.png), printf pattern (frame_%04d.png) or one path
  double fps = 30;      // timestamps and realtime pacing

  double nominal_fps() const override { return fps; }
  std::vector<config::NodePath> paths() const override {
    if (pattern.empty()) return {};
    if (auto numbered = util::FileSet::numbered(pattern)) return {{"pattern", *numbered}};
    if (has_glob(pattern)) return {{"pattern", util::FileSet::glob(pattern)}};
    return {{"pattern", util::FileSet::file(pattern)}};
  }
  std::string describe() const override { return pattern; }
};

std::shared_ptr<const config::SourceParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<Params>();
  if (auto v =
          map.required("pattern", "a glob (*.png), a printf pattern (frame_%04d.png) or a path"))
    read_string(ctx, *v, params->pattern, "a file pattern");
  if (auto v = map.get("fps")) read_fps(ctx, *v, params->fps);
  return params;
}

class ImagesSource final : public pipeline::Source {
 public:
  explicit ImagesSource(const config::SourceSpec& spec)
      : params_(spec.as<Params>()), color_(spec.color) {}

  void open() override {
    files_.clear();
    stats_ = {};
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
      hold_ = check_readable_file(params_.pattern, "image");
      files_.push_back(params_.pattern);
    }
    report_gaps();
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
    } catch (const InputError& e) {  // a truncated file: counted as a gap below
      util::frame_warnings().warn("decoder error in images '" + params_.pattern + "'", e.what());
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
  // frame_%04d.png: every file of the folder the pattern names (frame_0000.png,
  // frame_0012.png, not frame_12.png), in number order, gaps or not.
  void list_numbered(const PrintfPattern& pattern) {
    if (pattern.suffix.find('/') != std::string::npos) {
      throw InputError("image pattern '" + params_.pattern +
                       "': the %d field must be in the file name, not in a folder");
    }
    const fs::path prefix(pattern.prefix);
    const bool bare = pattern.prefix.empty() || pattern.prefix.back() == '/';  // "%d.png"
    const std::string stem = bare ? "" : prefix.filename().string();
    const fs::path folder = bare ? prefix : prefix.parent_path();
    std::vector<std::pair<std::int64_t, std::string>> found;  // (number, name as the pattern)
    std::error_code ec;
    for (auto it = fs::directory_iterator(folder.empty() ? fs::path(".") : folder, ec);
         !ec && it != fs::directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (const auto number = number_in(name, stem, pattern.suffix)) {
        const std::string path = pattern.format(*number);
        if (fs::path(path).filename() == name && !it->is_directory(ec)) {
          found.emplace_back(*number, path);
        }
      }
    }
    if (found.empty()) {
      throw InputError("image pattern '" + params_.pattern + "': no file matches (such as '" +
                       pattern.format(0) + "' or '" + pattern.format(1) + "')");
    }
    std::sort(found.begin(), found.end());
    for (const auto& entry : found) files_.emplace_back(entry.second);
  }

  // The number in `name` = stem + digits + suffix, if it has that shape.
  static std::optional<std::int64_t> number_in(const std::string& name, const std::string& stem,
                                               const std::string& suffix) {
    if (name.size() <= stem.size() + suffix.size() || name.compare(0, stem.size(), stem) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      return std::nullopt;
    }
    const std::string digits = name.substr(stem.size(), name.size() - stem.size() - suffix.size());
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc{} || end != digits.data() + digits.size() || value < 0) {
      return std::nullopt;
    }
    return value;
  }

  // Says once, at open, where the numbering has holes (they do not end the
  // sequence), and keeps it for the end-of-run notes and the report.
  void report_gaps() {
    std::vector<std::string> names;
    for (const auto& file : files_) names.push_back(file.string());
    const std::string text = describe_gaps(numbering_gaps(names), names.size());
    if (text.empty()) return;
    spdlog::warn("images '{}': {}", params_.pattern, text);
    stats_.notes = "numbering gaps: " + text;
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

  Params params_;
  config::ColorMode color_;
  std::vector<fs::path> files_;
  InputHold hold_;  // a single image from a named pipe keeps its reader
  std::size_t next_ = 0;
  cv::Size first_size_;
  bool size_warned_ = false;
  pipeline::SourceStats stats_;
};

const config::RegisterSource kRegistration(
    {{"images",
      "a sequence of still images (a glob, a printf pattern) or one image",
      {{"pattern", "a glob, a printf pattern or a path (required)",
        "*.png (natural order), frames/f_%04d.png (number order) or photo.jpg"},
       {"fps", "0 < fps <= 1000 (30)", "timestamps and realtime pacing"}},
      "{type: images, pattern: \"frames/frame_%04d.png\", fps: 25}"},
     false,
     read_params,
     [](const config::SourceSpec& spec) { return std::make_unique<ImagesSource>(spec); }});

}  // namespace
}  // namespace conveyor::sources
