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

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/checked_write.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/util/frame_pattern.hpp"
#include "conveyor/util/shared_path.hpp"
#include "encoder_probe.hpp"
#include "file_checks.hpp"
#include "frame_convert.hpp"
#include "image_format.hpp"

namespace conveyor::sinks {
namespace {

namespace fs = std::filesystem;
using namespace config::pipeline_detail;
using namespace io;
using pipeline::OutputError;
using util::parse_printf_pattern;
using util::PrintfPattern;

const std::vector<std::string> kExtensions = {".png",  ".jpg", ".jpeg", ".bmp", ".tif",
                                              ".tiff", ".pgm", ".ppm",  ".exr", ".webp"};

struct Params final : config::SinkParams {
  std::string pattern;  // printf pattern, e.g. out/gx_%05d.png; .tif/.tiff/.exr keep f32

  std::vector<config::NodePath> paths() const override {
    auto numbered = util::FileSet::numbered(pattern);
    return {{"pattern", numbered ? std::move(*numbered) : util::FileSet::file(pattern)}};
  }
  std::string describe() const override { return pattern; }
};

std::shared_ptr<const config::SinkParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<Params>();
  const std::string expect = "a printf pattern with one frame number, e.g. out/gx_%05d.png";
  auto v = map.required("pattern", expect);
  if (!v || !read_string(ctx, *v, params->pattern, expect)) return params;
  std::optional<PrintfPattern> parsed;
  std::string problem;
  try {
    parsed = parse_printf_pattern(params->pattern);
    if (!parsed) problem = "has no frame-number field";
  } catch (const std::invalid_argument& e) {
    problem = std::string("has an unusable frame-number field (") + e.what() + ")";
  }
  const std::string ext = lower_extension(params->pattern);
  if (!problem.empty()) {
    ctx.error(v->mark, v->path + ": '" + params->pattern + "' " + problem + "; expected " + expect);
  } else if (std::find(kExtensions.begin(), kExtensions.end(), ext) == kExtensions.end()) {
    ctx.error(v->mark, v->path + ": '" + params->pattern +
                           "' has no image extension; expected one of " + join_names(kExtensions) +
                           " (.tif/.tiff/.exr keep float maps)");
  }
  return params;
}

// OpenCV's real encoder, before the first frame (validate and run).
void probe(const config::SinkSpec& sink, std::size_t index, const config::SinkInput& input,
           bool size_known) {
  const auto& params = sink.as<Params>();
  const std::string ext = lower_extension(params.pattern);
  const std::string failure = probe_image_encoder(ext, input);
  if (failure.empty()) return;
  const std::string what = size_known ? " the " + input.str() + " images it receives" : "";
  throw config::PipelineError(
      sink.where.of("pattern"),
      "sinks." + std::to_string(index) + ".pattern: '" + params.pattern + "': OpenCV cannot write" +
          what + " as " + ext + ": " + failure +
          "; expected an image format this OpenCV build writes (.png, .tif, .jpg ...)");
}

class ImagesSink final : public pipeline::Sink {
 public:
  explicit ImagesSink(const config::SinkSpec& spec) : params_(spec.as<Params>()) {}
  ~ImagesSink() override { temporary_.remove_file(); }

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
    bool created = false;
    try {
      created = temporary_.create(temporary, [&] {
        pipeline::write_file_checked(temporary, bytes.data(), bytes.size(),
                                     "image '" + path.string() + "'");
      });
    } catch (const OutputError&) {
      temporary_.clear();  // removed by write_file_checked
      ++stats_.rejected;
      throw;
    }
    if (!created) {
      throw reject(path, "not written: the run is aborting without finalizing outputs");
    }
    try {
      rename_into_place(temporary, path, "image");
    } catch (const OutputError&) {  // e.g. a folder of that name: no temporary left behind
      temporary_.remove_file();
      ++stats_.rejected;
      throw;
    }
    temporary_.clear();
    ++stats_.written;
  }

  void finish() override {
    stats_.notes = std::to_string(stats_.written) + " images";
    if (stats_.written > 0) stats_.output = params_.pattern;  // only what was written
  }

  void abort() noexcept override { temporary_.remove_file(); }

  pipeline::SinkStats stats() const override { return stats_; }

  std::vector<std::string> temporary_files() const override {
    return temporary_.files();  // called by the emergency exit's thread
  }
  void abandon_temporaries() noexcept override { temporary_.abandon(); }

 private:
  OutputError reject(const fs::path& path, const std::string& why) {
    ++stats_.rejected;
    return OutputError("image '" + path.string() + "': " + why);
  }

  Params params_;
  PrintfPattern pattern_;
  std::string extension_;       // ".png", lower case
  util::SharedPath temporary_;  // read by the signal watcher too
  pipeline::SinkStats stats_;
};

const config::RegisterSink kRegistration(
    {{"images",
      "one image file per frame, named by a printf pattern; TIFF and EXR keep float maps",
      {{"pattern", "a printf pattern with one %d (required)",
        "e.g. out/gx_%05d.png; .tif/.tiff/.exr keep the raw float values"}},
      "{type: images, pattern: \"out/gx_%05d.png\", input: gx}"},
     true,
     false,
     false,
     read_params,
     [](const config::SinkSpec& spec) { return std::make_unique<ImagesSink>(spec); },
     probe});

}  // namespace
}  // namespace conveyor::sinks
