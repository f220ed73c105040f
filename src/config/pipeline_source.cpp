// The `source:` section: one of file | images | testpattern | gstreamer | webcam.
#include "conveyor/util/fourcc.hpp"
#include "pipeline_schema.hpp"

namespace conveyor::config::pipeline_detail {
namespace {

constexpr int kMaxSide = 16384;
constexpr double kMaxFps = 1000;
const std::string kFpsExpect = "frames per second, a number above 0 and at most 1000";

FileSource read_file(Context& ctx, MapReader& map) {
  FileSource file;
  if (auto v = map.required("path", "the video file to read"))
    read_string(ctx, *v, file.path, "a file path");
  if (auto v = map.get("start"))
    read_int(ctx, *v, std::int64_t{0}, INT64_MAX, file.start, "a frame index >= 0");
  if (auto v = map.get("end")) {
    std::int64_t end = 0;
    if (read_int(ctx, *v, std::int64_t{1}, INT64_MAX, end,
                 "a frame index above start (exclusive end)")) {
      if (end <= file.start) {
        ctx.error(v->mark, v->path + ": " + describe(v->node) + " is not after start " +
                               std::to_string(file.start) + "; expected an end above start");
      }
      file.end = end;
    }
  }
  if (auto v = map.get("loop")) read_bool(ctx, *v, file.loop);
  if (auto v = map.get("read_retries"))
    read_int(ctx, *v, 0, 1000, file.read_retries, "an integer from 0 to 1000");
  if (auto v = map.get("open_timeout_ms"))
    read_int(ctx, *v, 1, 600000, file.open_timeout_ms, "milliseconds from 1 to 600000");
  if (auto v = map.get("read_timeout_ms"))
    read_int(ctx, *v, 1, 600000, file.read_timeout_ms, "milliseconds from 1 to 600000");
  return file;
}

ImagesSource read_images(Context& ctx, MapReader& map) {
  ImagesSource images;
  if (auto v =
          map.required("pattern", "a glob (*.png), a printf pattern (frame_%04d.png) or a path"))
    read_string(ctx, *v, images.pattern, "a file pattern");
  if (auto v = map.get("fps")) read_real(ctx, *v, 0, kMaxFps, images.fps, kFpsExpect, true);
  return images;
}

TestPatternSource read_testpattern(Context& ctx, MapReader& map) {
  static const std::vector<std::pair<std::string, TestPattern>> kPatterns = {
      {"moving_box", TestPattern::MovingBox},
      {"gradient", TestPattern::Gradient},
      {"checkerboard", TestPattern::Checkerboard},
      {"bars", TestPattern::Bars},
      {"noise", TestPattern::Noise}};
  TestPatternSource pattern;
  const std::string side = "pixels from 1 to " + std::to_string(kMaxSide);
  if (auto v = map.get("width")) read_int(ctx, *v, 1, kMaxSide, pattern.width, side);
  if (auto v = map.get("height")) read_int(ctx, *v, 1, kMaxSide, pattern.height, side);
  if (auto v = map.get("fps")) read_real(ctx, *v, 0, kMaxFps, pattern.fps, kFpsExpect, true);
  if (auto v = map.get("frames"))
    read_int(ctx, *v, std::int64_t{0}, INT64_MAX, pattern.frames,
             "a frame count >= 0 (0: endless)");
  if (auto v = map.get("pattern")) read_enum(ctx, *v, kPatterns, pattern.pattern, "test pattern");
  if (auto v = map.get("seed")) {
    std::int64_t seed = 0;
    if (read_int(ctx, *v, std::int64_t{0}, std::int64_t{UINT32_MAX}, seed,
                 "an integer from 0 to 4294967295"))
      pattern.seed = static_cast<std::uint32_t>(seed);
  }
  return pattern;
}

GStreamerSource read_gstreamer(Context& ctx, MapReader& map) {
  GStreamerSource gst;
  const std::string expect =
      "a GStreamer pipeline ending in appsink, e.g. 'videotestsrc ! videoconvert ! appsink'";
  if (auto v = map.required("pipeline", expect); v && read_string(ctx, *v, gst.pipeline, expect)) {
    const std::size_t bang = gst.pipeline.rfind('!');
    std::string last = gst.pipeline.substr(bang == std::string::npos ? 0 : bang + 1);
    last.erase(0, last.find_first_not_of(" \t"));
    if (last.rfind("appsink", 0) != 0) {
      ctx.error(v->mark,
                v->path + ": '" + gst.pipeline + "' does not end in appsink; expected " + expect);
    }
  }
  if (auto v = map.get("is_live")) read_bool(ctx, *v, gst.is_live);
  return gst;
}

bool read_fourcc(Context& ctx, const Value& value, std::string& out) {
  const std::string expect = "four characters, e.g. MJPG or YUYV";
  if (!read_string(ctx, value, out, expect)) return false;
  if (!util::is_fourcc(out)) {
    ctx.error(value.mark, value.path + ": '" + out + "' is not a fourcc; expected " + expect);
    return false;
  }
  return true;
}

WebcamSource read_webcam(Context& ctx, MapReader& map) {
  WebcamSource cam;
  const std::string side = "pixels from 1 to " + std::to_string(kMaxSide);
  if (auto v = map.get("device")) {
    const std::string expect = "a camera index (0, 1, ...) or a device path such as /dev/video0";
    if (v->node.IsScalar() && parse_int(v->node.Scalar())) {
      read_int(ctx, *v, 0, 255, cam.index, expect);
    } else if (read_string(ctx, *v, cam.path, expect) && cam.path.find('/') == std::string::npos) {
      ctx.error(v->mark, v->path + ": '" + cam.path +
                             "' is neither an index nor a path; expected " + expect);
    }
  }
  if (auto v = map.get("width")) read_int(ctx, *v, 1, kMaxSide, cam.width, side);
  if (auto v = map.get("height")) read_int(ctx, *v, 1, kMaxSide, cam.height, side);
  if (auto v = map.get("fps")) read_real(ctx, *v, 0, kMaxFps, cam.fps, kFpsExpect, true);
  if (auto v = map.get("fourcc")) read_fourcc(ctx, *v, cam.fourcc);
  if (auto v = map.get("timeout_s"))
    read_real(ctx, *v, 0, 3600, cam.timeout_s, "seconds above 0, at most 3600", true);
  if (auto v = map.get("reconnect")) read_bool(ctx, *v, cam.reconnect);
  return cam;
}

}  // namespace

SourceSpec read_source(Context& ctx, const Value& value) {
  static const std::vector<std::pair<std::string, SourceType>> kTypes = {
      {"file", SourceType::File},
      {"images", SourceType::Images},
      {"testpattern", SourceType::TestPattern},
      {"gstreamer", SourceType::GStreamer},
      {"webcam", SourceType::Webcam}};
  SourceSpec source;
  MapReader map(ctx, value, "the source");
  source.where = map.where();
  if (!map.valid()) return source;
  SourceType type = SourceType::TestPattern;
  auto type_value = map.required("type", "file, images, testpattern, gstreamer or webcam");
  if (!type_value || !read_enum(ctx, *type_value, kTypes, type, "source type")) {
    map.allow({"pace", "color"});  // the type decides the other keys; do not guess them
    return source;
  }
  switch (type) {
    case SourceType::File:
      source.params = read_file(ctx, map);
      break;
    case SourceType::Images:
      source.params = read_images(ctx, map);
      break;
    case SourceType::TestPattern:
      source.params = read_testpattern(ctx, map);
      break;
    case SourceType::GStreamer:
      source.params = read_gstreamer(ctx, map);
      break;
    case SourceType::Webcam:
      source.params = read_webcam(ctx, map);
      break;
  }
  static const std::vector<std::pair<std::string, Pace>> kPaces = {{"none", Pace::None},
                                                                   {"realtime", Pace::Realtime}};
  if (auto v = map.get("pace")) read_enum(ctx, *v, kPaces, source.pace, "pace");
  if (auto v = map.get("color")) read_color(ctx, *v, source.color);
  map.finish();
  return source;
}

}  // namespace conveyor::config::pipeline_detail
