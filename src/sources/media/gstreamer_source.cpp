/* Source `gstreamer`: frames from a GStreamer pipeline ending in appsink.
 *
 * Inputs:  a gst-launch description, e.g. an RTSP camera or a test source.
 * Outputs: frames as CV_8UC1 (color: gray) or CV_8UC3 BGR (color: bgr),
 *          numbered 0, 1, 2 ... in arrival order.
 * Parameters: pipeline (must end in appsink; add `videoconvert !
 *          video/x-raw,format=BGR` before it so OpenCV gets BGR), is_live
 *          (the runner then captures on its own thread, latest frame wins).
 *
 *   source:
 *     type: gstreamer
 *     pipeline: "videotestsrc num-buffers=300 ! videoconvert ! video/x-raw,format=BGR ! appsink"
 *     is_live: false
 *
 * OpenCV must be built with GStreamer (checked in getBuildInformation()), and
 * the elements must be installed; either failure is an InputError that says
 * which. A pipeline that cannot start (unknown element, syntax error, an
 * element that fails, no first frame within 10 s) is an InputError naming it
 * and the reason, never a hang (gst_precheck.hpp); a pipeline that stalls
 * (no frame for 10 s) ends the stream with a warning. read()==false is end of stream (EOS) or a
 * pipeline error: a few retries, then End.
 */
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <opencv2/core/utility.hpp>
#include <opencv2/videoio.hpp>
#include <sstream>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/source.hpp"
#include "frame_convert.hpp"
#include "gst_precheck.hpp"

namespace conveyor::sources {
namespace {

using namespace config::pipeline_detail;
using namespace io;
using pipeline::InputError;
using pipeline::ReadStatus;

constexpr int kReadRetries = 3;  // appsink returns false at EOS: no point retrying long
// Starting (pre-check, then OpenCV's open): as a file source's open_timeout_ms.
constexpr std::chrono::milliseconds kOpenTimeout{10000};
constexpr std::chrono::milliseconds kReadTimeout{10000};  // each frame, as read_timeout_ms

// The "GStreamer: YES (1.22.0)" line of OpenCV's build report.
bool opencv_has_gstreamer() {
  std::istringstream info(cv::getBuildInformation());
  for (std::string line; std::getline(info, line);) {
    const auto key = line.find("GStreamer:");
    if (key != std::string::npos) return line.find("YES", key) != std::string::npos;
  }
  return false;
}

struct Params final : config::SourceParams {
  std::string pipeline;  // a gst-launch description ending in appsink
  bool is_live = false;  // live: captured on its own thread, frames may be overwritten

  bool live() const override { return is_live; }
  std::string describe() const override { return pipeline; }
};

std::shared_ptr<const config::SourceParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<Params>();
  const std::string expect =
      "a GStreamer pipeline ending in appsink, e.g. 'videotestsrc ! videoconvert ! appsink'";
  if (auto v = map.required("pipeline", expect);
      v && read_string(ctx, *v, params->pipeline, expect)) {
    const std::size_t bang = params->pipeline.rfind('!');
    std::string last = params->pipeline.substr(bang == std::string::npos ? 0 : bang + 1);
    last.erase(0, last.find_first_not_of(" \t"));
    if (last.rfind("appsink", 0) != 0) {
      ctx.error(v->mark, v->path + ": '" + params->pipeline +
                             "' does not end in appsink; expected " + expect);
    }
  }
  if (auto v = map.get("is_live")) read_bool(ctx, *v, params->is_live);
  return params;
}

class GStreamerSource final : public pipeline::Source {
 public:
  explicit GStreamerSource(const config::SourceSpec& spec)
      : params_(spec.as<Params>()), color_(spec.color) {}

  void open() override {
    if (!opencv_has_gstreamer()) {
      throw InputError(
          "gstreamer source: this OpenCV build has no GStreamer support "
          "(cv::getBuildInformation() reports no GStreamer); use a file or webcam source, or an "
          "OpenCV built with GStreamer");
    }
    capture_ = open_gstreamer_capture(params_.pipeline, kOpenTimeout);
    const double fps = capture_->get(cv::CAP_PROP_FPS);
    fps_ = std::isfinite(fps) && fps > 1 && fps <= 240 ? fps : 30.0;
  }

  ReadStatus read(cv::Mat& frame, std::int64_t& source_index) override {
    for (int attempt = 0; attempt <= kReadRetries && !ended_; ++attempt) {
      cv::Mat image;
      const GstRead got = read_gstreamer_frame(capture_, image, kReadTimeout);
      if (got == GstRead::Frame) {
        frame = to_capture_format(image, color_);
        source_index = next_++;
        ++stats_.frames;
        return ReadStatus::Frame;
      }
      if (got == GstRead::Stalled)
        return end("pipeline stalled: no frame within " + std::to_string(kReadTimeout.count()) +
                       " ms after " + std::to_string(next_) + " frames",
                   true);
    }
    if (!ended_) end("pipeline ended (EOS or error) after " + std::to_string(next_) + " frames");
    return ReadStatus::End;
  }

  double fps() const override { return fps_; }
  pipeline::SourceStats stats() const override { return stats_; }
  std::string describe() const override { return "gstreamer " + params_.pipeline; }
  void close() override {
    if (capture_ && !stalled_) capture_->release();  // a stalled read still holds it
  }

 private:
  ReadStatus end(const std::string& notes, bool stalled = false) {
    ended_ = true;
    stalled_ = stalled;
    stats_.notes = notes;
    if (stalled)
      spdlog::warn("gstreamer: {}", notes);
    else
      spdlog::info("gstreamer: {}", notes);
    return ReadStatus::End;
  }

  Params params_;
  config::ColorMode color_;
  std::shared_ptr<cv::VideoCapture> capture_;
  double fps_ = 30;
  std::int64_t next_ = 0;
  bool ended_ = false;
  bool stalled_ = false;
  pipeline::SourceStats stats_;
};

const config::RegisterSource kRegistration(
    {{"gstreamer",
      "frames from a GStreamer pipeline ending in appsink (needs OpenCV with GStreamer)",
      {{"pipeline", "a gst-launch description ending in appsink (required)",
        "add `videoconvert ! video/x-raw,format=BGR` before appsink"},
       {"is_live", "true | false (false)",
        "a live stream: captured on its own thread, the newest frame wins"}},
      "{type: gstreamer, pipeline: \"videotestsrc num-buffers=300 ! videoconvert ! appsink\"}"},
     false,
     read_params,
     [](const config::SourceSpec& spec) { return std::make_unique<GStreamerSource>(spec); }});

}  // namespace
}  // namespace conveyor::sources
