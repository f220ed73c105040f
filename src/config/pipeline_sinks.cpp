// The `sinks:` section: file | images | null | display, each taking one map.
#include <algorithm>
#include <filesystem>

#include "conveyor/util/fourcc.hpp"
#include "pipeline_schema.hpp"

namespace conveyor::config::pipeline_detail {
namespace {

std::string extension_of(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

FileSink read_file_sink(Context& ctx, MapReader& map) {
  FileSink file;
  auto path = map.required("path", "the video file to write (.mkv, .mp4 or .avi)");
  if (path) read_string(ctx, *path, file.path, "a file path");
  if (auto v = map.get("fourcc")) {
    const std::string expect = "four characters, e.g. FFV1, mp4v or MJPG";
    if (read_string(ctx, *v, file.fourcc, expect) && !util::is_fourcc(file.fourcc))
      ctx.error(v->mark, v->path + ": '" + file.fourcc + "' is not a fourcc; expected " + expect);
  } else if (path && !file.path.empty()) {
    file.fourcc = util::default_fourcc(file.path);
    if (file.fourcc.empty())
      ctx.error(path->mark, path->path + ": '" + file.path +
                                "' has no known video extension; expected " +
                                util::default_fourcc_extensions() + ", or a fourcc: key");
  }
  if (auto v = map.get("fps")) {
    double fps = 0;
    if (read_real(ctx, *v, 0, 1000, fps, "frames per second above 0, at most 1000", true))
      file.fps = fps;
  }
  return file;
}

ImagesSink read_images_sink(Context& ctx, MapReader& map) {
  static const std::vector<std::string> kExtensions = {".png",  ".jpg", ".jpeg", ".bmp", ".tif",
                                                       ".tiff", ".pgm", ".ppm",  ".exr", ".webp"};
  ImagesSink images;
  const std::string expect = "a printf pattern with one frame number, e.g. out/gx_%05d.png";
  auto v = map.required("pattern", expect);
  if (!v || !read_string(ctx, *v, images.pattern, expect)) return images;
  int numbers = 0;
  bool ok = true;
  for (std::size_t i = 0; i < images.pattern.size(); ++i) {
    if (images.pattern[i] != '%') continue;
    std::size_t k = i + 1;
    if (k < images.pattern.size() && images.pattern[k] == '%') {
      i = k;
      continue;
    }
    while (k < images.pattern.size() && std::isdigit(static_cast<unsigned char>(images.pattern[k])))
      ++k;
    ok = ok && k < images.pattern.size() && images.pattern[k] == 'd' && k - i <= 3;
    ++numbers;
    i = k;
  }
  const std::string ext = extension_of(images.pattern);
  if (!ok || numbers != 1) {
    ctx.error(v->mark, v->path + ": '" + images.pattern + "' has " +
                           (ok ? std::to_string(numbers) : std::string("an unusable")) +
                           " frame-number fields; expected " + expect);
  } else if (std::find(kExtensions.begin(), kExtensions.end(), ext) == kExtensions.end()) {
    ctx.error(v->mark, v->path + ": '" + images.pattern +
                           "' has no image extension; expected one of " + join_names(kExtensions) +
                           " (.tif/.tiff/.exr keep float maps)");
  }
  return images;
}

DisplaySink read_display(Context& ctx, MapReader& map) {
  static const std::vector<std::pair<std::string, Overlay>> kOverlays = {
      {"fps", Overlay::Fps},
      {"latency", Overlay::Latency},
      {"drops", Overlay::Drops},
      {"frame", Overlay::Frame}};
  DisplaySink display;
  if (auto v = map.get("title")) read_string(ctx, *v, display.title, "a window title");
  if (auto v = map.get("overlay")) {
    if (auto items = read_list(ctx, *v, "a list such as [fps, latency, drops, frame]")) {
      for (const auto& item : *items) {
        Overlay overlay = Overlay::Fps;
        if (read_enum(ctx, item, kOverlays, overlay, "overlay")) display.overlay.push_back(overlay);
      }
    }
  }
  return display;
}

SinkSpec read_sink(Context& ctx, const Value& value) {
  static const std::vector<std::pair<std::string, SinkType>> kTypes = {
      {"file", SinkType::File},
      {"images", SinkType::Images},
      {"null", SinkType::Null},
      {"display", SinkType::Display}};
  SinkSpec sink;
  MapReader map(ctx, value, "a sink");
  sink.where = map.where();
  if (!map.valid()) return sink;
  SinkType type = SinkType::Null;
  if (map.explicit_null("type")) {
    map.get("type");  // `type: null` parses as a YAML null: the null sink
  } else {
    auto type_value = map.required("type", "file, images, null or display");
    if (!type_value || !read_enum(ctx, *type_value, kTypes, type, "sink type")) return sink;
  }
  switch (type) {
    case SinkType::File:
      sink.params = read_file_sink(ctx, map);
      break;
    case SinkType::Images:
      sink.params = read_images_sink(ctx, map);
      break;
    case SinkType::Null:
      sink.params = NullSink{};
      break;
    case SinkType::Display:
      sink.params = read_display(ctx, map);
      break;
  }
  if (auto v = map.get("name")) read_name(ctx, *v, sink.name, "sink name");
  const std::string expect = "output, source, a stage name, stage.filter or a filter name";
  if (auto v = map.get("input")) read_string(ctx, *v, sink.input, expect);
  map.finish();
  return sink;
}

}  // namespace

std::vector<SinkSpec> read_sinks(Context& ctx, const Value& value) {
  std::vector<SinkSpec> sinks;
  auto items = read_list(ctx, value, "a list of sinks, e.g. [{type: file, path: out.mkv}]");
  if (!items) return sinks;
  if (items->empty())
    ctx.error(value.mark, value.path + ": an empty list; expected at least one sink");
  for (const auto& item : *items) sinks.push_back(read_sink(ctx, item));
  // Default names: the type, numbered when a type repeats.
  for (std::size_t i = 0; i < sinks.size(); ++i) {
    if (!sinks[i].name.empty()) continue;
    const std::string type = to_string(sinks[i].type());
    const auto same = std::count_if(sinks.begin(), sinks.end(),
                                    [&](const SinkSpec& s) { return s.type() == sinks[i].type(); });
    sinks[i].name = same > 1 ? type + std::to_string(i) : type;
  }
  for (std::size_t i = 0; i < sinks.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (sinks[j].name != sinks[i].name) continue;
      ctx.error(sinks[i].where.of("name"),
                (*items)[i].path + ": duplicate sink name '" + sinks[i].name + "' (first at line " +
                    std::to_string(sinks[j].where.mark.line) + "); expected unique sink names");
      break;
    }
  }
  return sinks;
}

}  // namespace conveyor::config::pipeline_detail
