// pipeline::probe_outputs: opens the encoders the sinks will open, before the
// first frame, so that a fourcc FFmpeg does not know, a codec the container
// refuses, a size the codec refuses or an image format OpenCV cannot write is
// a configuration error (exit 2) of `validate` and `run`, not a failure of
// every frame.
#include <unistd.h>

#include <filesystem>
#include <opencv2/core.hpp>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/config/sink_geometry.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/pipeline/output_probe.hpp"
#include "conveyor/util/fourcc.hpp"
#include "file_checks.hpp"
#include "image_format.hpp"
#include "video_encoder.hpp"

namespace conveyor::pipeline {
namespace {

namespace fs = std::filesystem;

std::string size_text(const config::SinkInput& input) {
  return std::to_string(input.width) + "x" + std::to_string(input.height);
}

cv::Mat blank(const config::SinkInput& input) {
  const int type = CV_MAKETYPE(input.is_float ? CV_32F : CV_8U, input.channels);
  return cv::Mat::zeros(input.height, input.width, type);
}

// A file the size of one frame, in the system's temporary folder.
fs::path probe_path(std::size_t index, const std::string& extension) {
  return fs::temp_directory_path() /
         ("conveyor-probe-" + std::to_string(::getpid()) + "-" + std::to_string(index) + extension);
}

void probe_file_sink(const config::SinkSpec& sink, std::size_t index,
                     const config::SinkInput& input, bool size_known) {
  const auto& params = std::get<config::FileSink>(sink.params);
  const std::string ext = stages::lower_extension(params.path);
  const fs::path temp = probe_path(index, ext);
  stages::EncoderSettings settings;
  settings.fourcc = params.fourcc;
  settings.fps = params.fps.value_or(30.0);
  settings.size = stages::encodable_size(cv::Size(input.width, input.height));
  settings.color = input.channels != 1;
  settings.threads = 1;
  std::string failure;
  try {
    stages::VideoEncoder encoder;
    encoder.open(temp.string(), settings);
    cv::Mat frame = cv::Mat::zeros(settings.size, settings.color ? CV_8UC3 : CV_8UC1);
    encoder.write(frame);
    encoder.finish();
  } catch (const std::exception& error) {
    failure = error.what();
  }
  std::error_code ignored;
  fs::remove(temp, ignored);
  if (failure.empty()) return;
  const std::string key = "sinks." + std::to_string(index);
  const bool fourcc_written = sink.where.keys.count("fourcc") > 0;
  const std::string frames =
      size_known ? " for the " + size_text(input) + " frames it receives" : "";
  throw config::PipelineError(
      sink.where.of(fourcc_written ? "fourcc" : "path"),
      key +
          (fourcc_written
               ? ".fourcc: '" + params.fourcc + "' in a " + ext + " file"
               : ".path: '" + params.path + "' (its default fourcc " + params.fourcc + ")") +
          frames + ": FFmpeg refuses it: " + failure +
          "; expected a fourcc FFmpeg can encode into that container at that size (" +
          util::default_fourcc_list() + ")");
}

void probe_images_sink(const config::SinkSpec& sink, std::size_t index,
                       const config::SinkInput& input, bool size_known) {
  const auto& params = std::get<config::ImagesSink>(sink.params);
  const std::string ext = stages::lower_extension(params.pattern);
  const cv::Mat image = stages::image_for_format(blank(input), ext);
  std::vector<unsigned char> bytes;
  std::string failure = "the encoder returned no image";
  bool ok = false;
  try {
    ok = encode_image(ext, image, stages::image_params(image, ext), bytes);
  } catch (const cv::Exception& error) {
    failure = error.err;  // without OpenCV's source location
  } catch (const std::exception& error) {
    failure = error.what();
  }
  if (ok && !bytes.empty()) return;
  const std::string what = size_known ? " the " + input.str() + " images it receives" : "";
  throw config::PipelineError(
      sink.where.of("pattern"),
      "sinks." + std::to_string(index) + ".pattern: '" + params.pattern + "': OpenCV cannot write" +
          what + " as " + ext + ": " + failure +
          "; expected an image format this OpenCV build writes (.png, .tif, .jpg ...)");
}

}  // namespace

void probe_outputs(const config::PipelineSpec& spec, std::optional<conv::MapSize> size) {
  const conv::MapSize at = size.value_or(kProbeSizeUnknown);
  std::vector<config::SinkInput> inputs;
  try {
    inputs = config::sink_inputs(spec, at.width, at.height);
  } catch (const conv::ConfigError&) {
    if (size) throw;  // the real size does not fit the stages: that error first
    // The probe size does not fit the stages: check codecs and containers only.
    inputs.assign(spec.sinks.size(), config::SinkInput{at.width, at.height, 1, false});
  }
  for (std::size_t i = 0; i < spec.sinks.size(); ++i) {
    if (spec.sinks[i].type() == config::SinkType::File)
      probe_file_sink(spec.sinks[i], i, inputs[i], size.has_value());
    if (spec.sinks[i].type() == config::SinkType::Images)
      probe_images_sink(spec.sinks[i], i, inputs[i], size.has_value());
  }
}

}  // namespace conveyor::pipeline
