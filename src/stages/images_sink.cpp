/* Sink `images`: one image file per frame, named by the frame's sequence number.
 *
 * Inputs:  CV_8UC1, CV_8UC3 or CV_32FC1/3 maps.
 * Outputs: files named by a printf pattern; the folder is created if missing.
 *          .tif/.tiff/.exr keep CV_32F maps unchanged (raw filter responses,
 *          negative values included; TIFF is written LZW-compressed because
 *          OpenCV's default for 3-channel float TIFF is lossy SGILOG); .exr
 *          holds only floats, so 8-bit maps are written as floats 0..255;
 *          every other format gets 8 bits, float maps saturated to 0..255.
 * Parameters: pattern (one %d field, e.g. out/gx_%05d.png).
 *
 *   sinks:
 *     - { type: images, pattern: "out/gx_%05d.png", input: gx }
 *     - { type: images, pattern: "out/raw_%05d.tiff", input: gx }   # float kept
 *
 * Each image is encoded in memory (cv::imencode), written to
 * `.<name>.partial.<host>.<pid>.<random>.<ext>` (util/temp_names.hpp) with
 * every write checked, and renamed into place, so a killed run never leaves a
 * truncated image under a final name. The encoder refusing is an OutputError
 * for that frame; a full disk, an I/O error or a read-only folder is a
 * PersistentOutputError (the run stops). stats().output names the pattern
 * only once an image was written.
 */
#include <spdlog/spdlog.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>

#include "conveyor/pipeline/checked_write.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/util/frame_pattern.hpp"
#include "conveyor/util/shared_path.hpp"
#include "file_checks.hpp"
#include "frame_convert.hpp"
#include "image_format.hpp"

namespace conveyor::stages {
namespace {

namespace fs = std::filesystem;
using pipeline::OutputError;
using util::parse_printf_pattern;
using util::PrintfPattern;

class ImagesSink final : public pipeline::Sink {
 public:
  explicit ImagesSink(const config::SinkSpec& spec)
      : params_(std::get<config::ImagesSink>(spec.params)) {}
  ~ImagesSink() override { remove_temporary(); }

  void open(const pipeline::SinkContext&) override {
    std::optional<PrintfPattern> parsed;
    try {
      parsed = parse_printf_pattern(params_.pattern);
    } catch (const std::invalid_argument& e) {
      throw OutputError("image pattern '" + params_.pattern + "': " + e.what());
    }
    if (!parsed) {
      throw OutputError("image pattern '" + params_.pattern +
                        "': no frame-number field; expected e.g. out/gx_%05d.png");
    }
    pattern_ = *parsed;
    extension_ = lower_extension(params_.pattern);
    ensure_parent_folder(pattern_.format(0), "image pattern");
  }

  void write(const cv::Mat& image, std::int64_t sequence) override {
    const fs::path path = pattern_.format(sequence);
    if (image.empty()) throw reject(path, "frame " + std::to_string(sequence) + " is empty");
    ensure_parent_folder(path, "image");
    const cv::Mat out = image_for_format(image, extension_);
    std::vector<unsigned char> bytes;
    bool ok = false;
    std::string why = "the encoder refused " + describe_mat(out);
    try {
      ok = pipeline::encode_image(extension_, out, image_params(out, extension_), bytes);
    } catch (const cv::Exception& e) {
      why = e.what();
    }
    if (!ok) throw reject(path, why);
    const fs::path temporary = temporary_path_for(path);
    try {
      temporary_.set(temporary);
      pipeline::write_file_checked(temporary, bytes.data(), bytes.size(),
                                   "image '" + path.string() + "'");
    } catch (const OutputError&) {
      temporary_.clear();  // removed by write_file_checked
      ++stats_.rejected;
      throw;
    }
    rename_into_place(temporary, path, "image");
    temporary_.clear();
    ++stats_.written;
  }

  void finish() override {
    stats_.notes = std::to_string(stats_.written) + " images";
    if (stats_.written > 0) stats_.output = params_.pattern;  // only what was written
  }

  void abort() noexcept override { remove_temporary(); }

  pipeline::SinkStats stats() const override { return stats_; }

  std::vector<std::string> temporary_files() const override {
    const fs::path temporary = temporary_.get();  // called by the emergency exit's thread
    if (temporary.empty()) return {};
    return {temporary.string()};
  }

 private:
  OutputError reject(const fs::path& path, const std::string& why) {
    ++stats_.rejected;
    return OutputError("image '" + path.string() + "': " + why);
  }

  void remove_temporary() noexcept {
    const fs::path temporary = temporary_.get();
    if (temporary.empty()) return;
    std::error_code ec;
    fs::remove(temporary, ec);
    temporary_.clear();
  }

  config::ImagesSink params_;
  PrintfPattern pattern_;
  std::string extension_;       // ".png", lower case
  util::SharedPath temporary_;  // read by the signal watcher too
  pipeline::SinkStats stats_;
};

const struct Registration {
  Registration() {
    pipeline::register_sink(config::SinkType::Images, [](const config::SinkSpec& spec) {
      return std::make_unique<ImagesSink>(spec);
    });
  }
} kRegistration;

}  // namespace
}  // namespace conveyor::stages
