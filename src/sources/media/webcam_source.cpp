/* Source `webcam`: a V4L2 camera (named explicitly: with "any backend"
 * GStreamer may grab a busy camera and block).
 *
 * Inputs:  a camera, by index (0 -> /dev/video0) or by device path.
 * Outputs: frames as CV_8UC1 (color: gray) or CV_8UC3 BGR (color: bgr),
 *          numbered 0, 1, 2 ... in arrival order.
 * Parameters: device (index or /dev/videoN); width, height, fps, fourcc
 *          (requested: the camera may grant something else, logged at open);
 *          timeout_s (no new frame for this long: "camera disconnected");
 *          reconnect (reopen after a disconnect instead of ending the run).
 *
 *   source: { type: webcam, device: 0, width: 1280, height: 720, fps: 30,
 *             fourcc: MJPG, timeout_s: 5, reconnect: false, color: gray }
 *
 * A missing device fails at once (the path is checked before OpenCV is
 * asked); a busy one or one that sends nothing fails within timeout_s. A
 * V4L2 read can block for OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT seconds (10 by
 * default, read once per process): unless the user set it, open() sets it to
 * 1 s so the watchdog (camera_reader.hpp) sees a silent camera in time.
 * CAP_PROP_READ_TIMEOUT_MSEC is FFmpeg-only and has no effect here.
 * read() blocks for the next frame; the runner calls it on its own thread.
 * close() may be called from another thread: a waiting read() then returns
 * End within about a second.
 */
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <opencv2/videoio.hpp>

#include "camera_reader.hpp"
#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/source.hpp"
#include "frame_convert.hpp"

namespace conveyor::sources {
namespace {

using namespace config::pipeline_detail;
using namespace io;
using pipeline::InputError;
using pipeline::ReadStatus;

constexpr int kMaxSide = 16384;

struct Params final : config::SourceParams {
  int index = 0;     // camera index, used when `path` is empty
  std::string path;  // /dev/videoN, from `device: /dev/video2`
  int width = 640;   // requested; the camera may deliver another size
  int height = 480;
  double fps = 30;
  std::string fourcc;      // e.g. MJPG; empty: the driver's default
  double timeout_s = 5;    // no frame for this long: camera disconnected
  bool reconnect = false;  // reopen after a disconnect instead of ending the run

  bool live() const override { return true; }
  std::optional<conv::MapSize> known_size() const override { return conv::MapSize{width, height}; }
  double nominal_fps() const override { return fps; }
  std::string describe() const override {
    return path.empty() ? "/dev/video" + std::to_string(index) : path;
  }
};

void read_device(Context& ctx, const Value& v, Params& params) {
  const std::string expect = "a camera index (0, 1, ...) or a device path such as /dev/video0";
  if (v.node.IsScalar() && parse_int(v.node.Scalar())) {
    read_int(ctx, v, 0, 255, params.index, expect);
  } else if (read_string(ctx, v, params.path, expect) &&
             params.path.find('/') == std::string::npos) {
    ctx.error(v.mark, v.path + ": '" + params.path + "' is neither an index nor a path; expected " +
                          expect);
  }
}

std::shared_ptr<const config::SourceParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<Params>();
  const std::string side = "pixels from 1 to " + std::to_string(kMaxSide);
  if (auto v = map.get("device")) read_device(ctx, *v, *params);
  if (auto v = map.get("width")) read_int(ctx, *v, 1, kMaxSide, params->width, side);
  if (auto v = map.get("height")) read_int(ctx, *v, 1, kMaxSide, params->height, side);
  if (auto v = map.get("fps")) read_fps(ctx, *v, params->fps);
  if (auto v = map.get("fourcc")) read_fourcc(ctx, *v, params->fourcc, "e.g. MJPG or YUYV");
  if (auto v = map.get("timeout_s"))
    read_real(ctx, *v, 0, 3600, params->timeout_s, "seconds above 0, at most 3600", true);
  if (auto v = map.get("reconnect")) read_bool(ctx, *v, params->reconnect);
  return params;
}

const std::string kListHint =
    "list the cameras with `ls /dev/video*` (or `v4l2-ctl --list-devices`) and choose another "
    "index or path";

std::string fourcc_text(double value) {
  const auto code = static_cast<std::uint32_t>(value);
  std::string text;
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>((code >> (8 * i)) & 0xFF);
    if (c < 0x20 || c > 0x7E) return value > 0 ? std::to_string(code) : "default";
    text += c;
  }
  return text;
}

// Fails with a clear message unless `path` is an accessible character device.
void check_device_path(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    const int error = errno;
    if (error == ENOENT) throw InputError("webcam '" + path + "': no such device; " + kListHint);
    throw InputError("webcam '" + path + "': " + std::strerror(error) + "; " + kListHint);
  }
  if (!S_ISCHR(info.st_mode)) {
    throw InputError("webcam '" + path + "': not a video device (not a character device); " +
                     kListHint);
  }
  if (::access(path.c_str(), R_OK | W_OK) != 0) {
    throw InputError("webcam '" + path +
                     "': permission denied; add your user to the 'video' group "
                     "(sudo usermod -aG video $USER, then log in again)");
  }
}

class V4l2Camera final : public CameraDevice {
 public:
  V4l2Camera(const Params& params, std::string path) : params_(params), path_(std::move(path)) {}

  void open() override {
    check_device_path(path_);
    try {
      capture_.open(path_, cv::CAP_V4L2);
    } catch (const cv::Exception& e) {
      throw InputError("webcam '" + path_ + "': V4L2 failed: " + e.what());
    }
    if (!capture_.isOpened()) {
      throw InputError("webcam '" + path_ +
                       "': V4L2 cannot open it: it may be in use by another program (check "
                       "with `fuser " +
                       path_ +
                       "`), or not a capture device (a camera often has a second node for "
                       "metadata); " +
                       kListHint);
    }
    request_format();
  }

  bool grab(cv::Mat& frame) override {
    if (!capture_.isOpened() || !capture_.grab()) return false;
    return capture_.retrieve(frame) && !frame.empty();
  }

  void close() override { capture_.release(); }
  std::string name() const override { return path_; }
  double granted_fps() const { return granted_fps_; }

 private:
  // The order matters for V4L2: the pixel format first, then the size (the
  // second of width/height restarts the stream), then the frame rate.
  void request_format() {
    if (!params_.fourcc.empty()) {
      const auto& f = params_.fourcc;
      if (!capture_.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc(f[0], f[1], f[2], f[3]))) {
        spdlog::warn("webcam {}: the camera refused fourcc {}", path_, f);
      }
    }
    capture_.set(cv::CAP_PROP_FRAME_WIDTH, params_.width);
    capture_.set(cv::CAP_PROP_FRAME_HEIGHT, params_.height);
    capture_.set(cv::CAP_PROP_FPS, params_.fps);
    const double width = capture_.get(cv::CAP_PROP_FRAME_WIDTH);
    const double height = capture_.get(cv::CAP_PROP_FRAME_HEIGHT);
    const double fps = capture_.get(cv::CAP_PROP_FPS);
    granted_fps_ = std::isfinite(fps) && fps >= 1 && fps <= 1000 ? fps : 0;
    spdlog::info("webcam {} (V4L2): requested {}x{} @ {} fps {}; granted {}x{} @ {} fps {}", path_,
                 params_.width, params_.height, params_.fps,
                 params_.fourcc.empty() ? "default" : params_.fourcc, width, height, fps,
                 fourcc_text(capture_.get(cv::CAP_PROP_FOURCC)));
  }

  Params params_;
  std::string path_;
  cv::VideoCapture capture_;
  double granted_fps_ = 0;
};

CameraPolicy policy_for(const Params& params) {
  CameraPolicy policy;
  policy.timeout_s = params.timeout_s;
  policy.reconnect = params.reconnect;
  return policy;
}

class WebcamSource final : public pipeline::Source {
 public:
  explicit WebcamSource(const config::SourceSpec& spec)
      : params_(spec.as<Params>()),
        color_(spec.color),
        path_(params_.path.empty() ? "/dev/video" + std::to_string(params_.index) : params_.path),
        camera_(params_, path_),
        reader_(camera_, policy_for(params_)) {}

  void open() override {
    // Before any V4L2 call: OpenCV reads it once, at the first blocking wait.
    ::setenv("OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT", "1", 0);
    std::lock_guard lock(mutex_);
    reader_.open();
    if (reader_.stopped()) return;
    cv::Mat first;
    if (reader_.next(first)) {
      spdlog::info("webcam {}: first frame {}", path_, describe_mat(first));
      pending_ = first;
    }
  }

  ReadStatus read(cv::Mat& frame, std::int64_t& source_index) override {
    std::lock_guard lock(mutex_);
    cv::Mat image = pending_;
    pending_.release();
    if (image.empty() && !reader_.next(image)) return ReadStatus::End;
    frame = to_capture_format(image, color_);
    source_index = stats_.frames++;
    return ReadStatus::Frame;
  }

  double fps() const override {
    return camera_.granted_fps() > 0 ? camera_.granted_fps() : params_.fps;
  }

  pipeline::SourceStats stats() const override {
    pipeline::SourceStats stats = stats_;
    stats.outages = reader_.outages();
    if (reader_.reconnects() > 0) {
      stats.notes = "camera reconnected " + std::to_string(reader_.reconnects()) + " time(s)";
    }
    return stats;
  }

  std::string describe() const override { return "webcam " + path_ + " (V4L2)"; }

  void close() override {
    reader_.stop();  // a read() waiting for the camera gives up within a second
    std::lock_guard lock(mutex_);
    reader_.close();
  }

 private:
  Params params_;
  config::ColorMode color_;
  std::string path_;
  V4l2Camera camera_;
  CameraReader reader_;
  std::mutex mutex_;  // read() against close() from another thread
  cv::Mat pending_;   // the first frame, read by open()
  pipeline::SourceStats stats_;
};

const config::RegisterSource kRegistration(
    {{"webcam",
      "a V4L2 camera, live: the newest frame wins when the stages are slower",
      {{"device", "an index or /dev/videoN (0)", "which camera"},
       {"width", "pixels 1..16384 (640)", "requested width; the camera may grant another"},
       {"height", "pixels 1..16384 (480)", "requested height"},
       {"fps", "0 < fps <= 1000 (30)", "requested frame rate"},
       {"fourcc", "four characters (the driver's)", "requested pixel format, e.g. MJPG"},
       {"timeout_s", "0 < s <= 3600 (5)", "no frame for this long: the camera is gone"},
       {"reconnect", "true | false (false)", "reopen after a disconnect instead of ending"}},
      "{type: webcam, device: 0, width: 1280, height: 720, fps: 30, fourcc: MJPG}"},
     true,
     read_params,
     [](const config::SourceSpec& spec) { return std::make_unique<WebcamSource>(spec); }});

}  // namespace
}  // namespace conveyor::sources
