// Small methods of the spec structs and the names they print with.
#include "conveyor/config/pipeline_spec.hpp"

namespace conveyor::config {

bool SourceSpec::is_live() const {
  if (type() == SourceType::Webcam) return true;
  const auto* gst = std::get_if<GStreamerSource>(&params);
  return gst != nullptr && gst->is_live;
}

std::optional<conv::MapSize> SourceSpec::known_size() const {
  if (const auto* pattern = std::get_if<TestPatternSource>(&params))
    return conv::MapSize{pattern->width, pattern->height};
  if (const auto* cam = std::get_if<WebcamSource>(&params))
    return conv::MapSize{cam->width, cam->height};
  return std::nullopt;
}

double SourceSpec::nominal_fps() const {
  if (const auto* images = std::get_if<ImagesSource>(&params)) return images->fps;
  if (const auto* pattern = std::get_if<TestPatternSource>(&params)) return pattern->fps;
  if (const auto* cam = std::get_if<WebcamSource>(&params)) return cam->fps;
  return 0;
}

bool StageSpec::single_output() const {
  if (combine) return combine->op != conv::CombineOp::Stack || combine->inputs.size() == 1;
  return bank.size() == 1;
}

int StageSpec::filter_index(const std::string& filter_name) const {
  for (std::size_t i = 0; i < bank.size(); ++i) {
    if (bank[i].name == filter_name) return static_cast<int>(i);
  }
  return -1;
}

std::string to_string(SourceType type) {
  switch (type) {
    case SourceType::File:
      return "file";
    case SourceType::Images:
      return "images";
    case SourceType::TestPattern:
      return "testpattern";
    case SourceType::GStreamer:
      return "gstreamer";
    case SourceType::Webcam:
      return "webcam";
  }
  return "?";
}

std::string to_string(SinkType type) {
  switch (type) {
    case SinkType::File:
      return "file";
    case SinkType::Images:
      return "images";
    case SinkType::Null:
      return "null";
    case SinkType::Display:
      return "display";
  }
  return "?";
}

std::string to_string(ColorMode color) {
  return color == ColorMode::Bgr ? "bgr" : "gray";
}

std::string to_string(Normalize normalize) {
  switch (normalize) {
    case Normalize::None:
      return "none";
    case Normalize::AbsScale:
      return "abs_scale";
    case Normalize::Clamp:
      return "clamp";
    case Normalize::MinMax:
      return "minmax";
  }
  return "?";
}

std::string to_string(RunMode mode) {
  return mode == RunMode::Throughput ? "throughput" : "latency";
}

std::string to_string(TestPattern pattern) {
  switch (pattern) {
    case TestPattern::MovingBox:
      return "moving_box";
    case TestPattern::Gradient:
      return "gradient";
    case TestPattern::Checkerboard:
      return "checkerboard";
    case TestPattern::Bars:
      return "bars";
    case TestPattern::Noise:
      return "noise";
  }
  return "?";
}

std::string to_string(Overlay overlay) {
  switch (overlay) {
    case Overlay::Fps:
      return "fps";
    case Overlay::Latency:
      return "latency";
    case Overlay::Drops:
      return "drops";
    case Overlay::Frame:
      return "frame";
  }
  return "?";
}

}  // namespace conveyor::config
