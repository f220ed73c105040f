/* Source `picture`: one picture or text matrix, its values kept.
 *
 * Inputs:  an image OpenCV reads (any depth; alpha dropped) or a .txt/.csv
 *          text matrix (numbers separated by spaces or commas, one row per
 *          line, '#' comments).
 * Outputs: one frame. 8-bit pictures give CV_8U; 16-bit, float and text
 *          give CV_32F with their values unchanged (a learner's matrix, a
 *          raw float TIFF), unlike `images`, which makes every frame 8-bit.
 *          Channels follow `color` (gray 1, bgr 3), as the stages were
 *          planned; `conveyor apply` keeps the picture's own instead
 *          (PictureParams::keep_channels, set in code only).
 * Parameters: path, fps.
 *
 *   source: { type: picture, path: smiley.txt }
 *
 * A missing, empty, unreadable or undecodable file, or anything but a
 * regular file, is an InputError naming it at open.
 */
#include "picture_source.hpp"

#include <spdlog/spdlog.h>

#include <opencv2/imgproc.hpp>

#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/source.hpp"
#include "picture_input.hpp"

namespace conveyor::sources {
namespace {

using namespace config::pipeline_detail;
using pipeline::ReadStatus;

std::shared_ptr<const config::SourceParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<PictureParams>();
  if (auto v = map.required("path", "a picture or a .txt/.csv text matrix"))
    read_string(ctx, *v, params->path, "a file path");
  if (auto v = map.get("fps")) read_fps(ctx, *v, params->fps);
  return params;
}

// `values` with the channel count `color` asks for, its depth kept.
cv::Mat with_channels(const cv::Mat& values, config::ColorMode color) {
  const int channels = color == config::ColorMode::Gray ? 1 : 3;
  if (values.channels() == channels) return values;
  cv::Mat out;
  cv::cvtColor(values, out, channels == 1 ? cv::COLOR_BGR2GRAY : cv::COLOR_GRAY2BGR);
  return out;
}

class PictureSource final : public pipeline::Source {
 public:
  explicit PictureSource(const config::SourceSpec& spec)
      : params_(spec.as<PictureParams>()), color_(spec.color) {}

  // Decodes at once: one picture, and every problem with it is the input's.
  void open() override {
    picture_ = io::load_picture(params_.path);
    delivered_ = false;
    stats_ = {};
    spdlog::debug("picture '{}': {}", params_.path, picture_.description);
  }

  ReadStatus read(cv::Mat& frame, std::int64_t& source_index) override {
    if (delivered_ || picture_.values.empty()) return ReadStatus::End;
    delivered_ = true;
    frame = params_.keep_channels ? picture_.values : with_channels(picture_.values, color_);
    source_index = 0;
    ++stats_.frames;
    return ReadStatus::Frame;
  }

  std::optional<std::int64_t> expected_frames() const override { return 1; }
  double fps() const override { return params_.fps > 0 ? params_.fps : 30.0; }
  pipeline::SourceStats stats() const override { return stats_; }
  std::string describe() const override {
    return "picture " + params_.path +
           (picture_.description.empty() ? "" : " (" + picture_.description + ")");
  }

 private:
  PictureParams params_;
  config::ColorMode color_;
  io::Picture picture_;
  bool delivered_ = false;
  pipeline::SourceStats stats_;
};

const config::RegisterSource kRegistration(
    {{"picture",
      "one picture or text matrix, its values kept (float and 16-bit stay exact; what "
      "`conveyor apply` reads)",
      {{"path", "a picture or a .txt/.csv text matrix (required)",
        "8-bit pictures stay 8-bit; 16-bit, float and text become exact 32-bit float"},
       {"fps", "0 < fps <= 1000 (30)", "timestamps only: the source gives one frame"}},
      "{type: picture, path: smiley.txt}"},
     false,
     read_params,
     [](const config::SourceSpec& spec) { return std::make_unique<PictureSource>(spec); }});

}  // namespace
}  // namespace conveyor::sources
