// pipeline::probe_outputs asks every sink type that can check its encoder
// before the first frame (SinkDescriptor::probe) to do so; the probes of the
// file and images sinks are built on the two helpers here.
#include "encoder_probe.hpp"

#include <unistd.h>

#include <filesystem>

#include "conveyor/config/errors.hpp"
#include "conveyor/config/node_registry.hpp"
#include "conveyor/conv/errors.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/pipeline/output_probe.hpp"
#include "image_format.hpp"
#include "video_encoder.hpp"

namespace conveyor::io {

namespace fs = std::filesystem;

std::string probe_video_encoder(const std::string& extension, const std::string& fourcc, double fps,
                                const config::SinkInput& input, std::size_t index) {
  // A file the size of one frame, in the system's temporary folder.
  const fs::path temp =
      fs::temp_directory_path() /
      ("conveyor-probe-" + std::to_string(::getpid()) + "-" + std::to_string(index) + extension);
  EncoderSettings settings;
  settings.fourcc = fourcc;
  settings.fps = fps;
  settings.size = encodable_size(cv::Size(input.width, input.height));
  settings.color = input.channels != 1;
  settings.threads = 1;
  std::string failure;
  try {
    VideoEncoder encoder;
    encoder.open(temp.string(), settings);
    cv::Mat frame = cv::Mat::zeros(settings.size, settings.color ? CV_8UC3 : CV_8UC1);
    encoder.write(frame);
    encoder.finish();
  } catch (const std::exception& error) {
    failure = error.what();
  }
  std::error_code ignored;
  fs::remove(temp, ignored);
  return failure;
}

std::string probe_image_encoder(const std::string& extension, const config::SinkInput& input) {
  const int type = CV_MAKETYPE(input.is_float ? CV_32F : CV_8U, input.channels);
  const cv::Mat image =
      image_for_format(cv::Mat::zeros(input.height, input.width, type), extension);
  std::vector<unsigned char> bytes;
  try {
    if (pipeline::encode_image(extension, image, image_params(image, extension), bytes) &&
        !bytes.empty())
      return {};
  } catch (const cv::Exception& error) {
    return error.err;  // without OpenCV's source location
  } catch (const std::exception& error) {
    return error.what();
  }
  return "the encoder returned no image";
}

}  // namespace conveyor::io

namespace conveyor::pipeline {

void probe_outputs(const config::PipelineSpec& spec, std::optional<conv::MapSize> size) {
  const conv::MapSize at = size.value_or(kProbeSizeUnknown);
  std::vector<config::SinkInput> inputs;
  try {
    inputs = config::sink_inputs(spec, at.width, at.height);
  } catch (const config::ConfigError&) {
    if (size) throw;  // the real size does not fit the stages: that error first
    // The probe size does not fit the stages: check codecs and containers only.
    inputs.assign(spec.sinks.size(), config::SinkInput{at.width, at.height, 1, false});
  }
  for (std::size_t i = 0; i < spec.sinks.size(); ++i) {
    const config::SinkSpec& sink = spec.sinks[i];
    if (sink.node->probe) sink.node->probe(sink, i, inputs[i], size.has_value());
  }
}

}  // namespace conveyor::pipeline
