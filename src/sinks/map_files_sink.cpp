/* Sink `maps`: the maps of one frame as files, exactly as `conveyor apply -o`
 * writes them.
 *
 * Inputs:  its stage's output; when the stage keeps several maps, each map.
 * Outputs: the extension picks the format (io/map_files.hpp): .tif/.tiff
 *          exact 32-bit float, .png/.jpg/.jpeg/.bmp 8-bit (float maps
 *          converted by to_u8), .txt/.csv a text matrix per channel. One map
 *          gives `path`; several give <stem>_<map name>.<ext> beside it.
 * Parameters: path, to_u8.
 *
 *   sinks:
 *     - { type: maps, path: out/smiley.tif }
 *
 * The files hold one frame: a later frame is refused (writer_reject) rather
 * than replacing them; the `images` sink numbers a stream's frames. A bad
 * extension or folder fails at open, before any frame is filtered.
 */
#include "map_files_sink.hpp"

#include <spdlog/spdlog.h>

#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/util/shared_path.hpp"
#include "picture_input.hpp"
#include "view_maps.hpp"

namespace conveyor::sinks {

std::vector<config::NodePath> MapFilesParams::paths() const {
  if (path.empty()) return {};
  const std::filesystem::path file(path);
  const std::string several =
      (file.parent_path() / (file.stem().string() + "_*" + file.extension().string())).string();
  return {{"path", util::FileSet::file(path)},
          {"path", util::FileSet::glob(several), false, " (one file per map)"}};
}

std::vector<config::NodePath> MapFilesParams::paths_for(
    const std::vector<std::string>& input_maps) const {
  if (path.empty() || input_maps.empty()) return paths();
  const std::filesystem::path file(path);
  const bool text = io::is_text_matrix_path(file);
  std::vector<std::string> names;  // "" for the file itself
  if (input_maps.size() == 1) {
    names.push_back("");
    if (text) {
      for (int c = 0; c < 3; ++c) names.push_back(io::channel_name(input_maps.front(), c));
    }
  } else {
    for (const auto& map : input_maps) {
      names.push_back(map);
      if (text) {
        for (int c = 0; c < 3; ++c) names.push_back(io::channel_name(map, c));
      }
    }
  }
  std::vector<config::NodePath> files;
  for (const auto& name : names) {
    files.push_back(
        {"path", util::FileSet::file(name.empty() ? path : io::path_for_map(file, name).string())});
  }
  return files;
}

namespace {

using namespace config::pipeline_detail;
using pipeline::OutputError;

const std::vector<std::pair<std::string, conv::ToU8>> kToU8Names = {
    {"minmax", conv::ToU8::MinMax},
    {"abs_scale", conv::ToU8::AbsScale},
    {"clamp", conv::ToU8::Clamp}};

std::shared_ptr<const config::SinkParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<MapFilesParams>();
  const std::string expect = "a .tif/.tiff, .png/.jpg/.jpeg/.bmp or .txt/.csv file";
  if (auto v = map.required("path", expect)) read_string(ctx, *v, params->path, expect);
  if (auto v = map.get("to_u8")) read_enum(ctx, *v, kToU8Names, params->to_u8, "to_u8");
  return params;
}

class MapFilesSink final : public pipeline::Sink {
 public:
  explicit MapFilesSink(const config::SinkSpec& spec) : params_(spec.as<MapFilesParams>()) {}
  ~MapFilesSink() override { temporary_.remove_file(); }

  void open(const pipeline::SinkContext& context) override {
    io::check_map_output(params_.path);  // a bad extension or folder fails before any frame
    input_maps_ = context.input_maps;
  }

  void write(const cv::Mat& image, std::int64_t sequence) override {
    write_views({{input_maps_.empty() ? "output" : input_maps_.front(), image}}, sequence);
  }

  void write_views(const std::vector<pipeline::View>& views, std::int64_t sequence) override {
    if (stats_.written > 0) {
      ++stats_.rejected;
      throw OutputError("maps '" + params_.path + "' hold one frame, frame " +
                        std::to_string(sequence) +
                        " was not written; expected a source of one picture (an `images` "
                        "sink numbers a stream's frames)");
    }
    try {
      const auto files = io::plan_map_files(maps_of_views(views, input_maps_), params_.path);
      for (const auto& file : files) {
        io::write_map_file(file, params_.to_u8, temporary_);
        written_.push_back(file.path.string());
        spdlog::info("wrote {} ({}x{}, {} channel(s))", file.path.string(), file.map.values.cols,
                     file.map.values.rows, file.map.values.channels());
      }
    } catch (const OutputError&) {
      ++stats_.rejected;
      throw;
    }
    ++stats_.written;
  }

  void finish() override {
    stats_.notes = std::to_string(written_.size()) + " map file(s)";
    for (const auto& file : written_) {
      stats_.output += (stats_.output.empty() ? "" : ", ") + file;
    }
  }
  void abort() noexcept override { temporary_.remove_file(); }
  pipeline::SinkStats stats() const override { return stats_; }
  std::vector<std::string> temporary_files() const override { return temporary_.files(); }
  void abandon_temporaries() noexcept override { temporary_.abandon(); }

 private:
  MapFilesParams params_;
  std::vector<std::string> input_maps_;
  std::vector<std::string> written_;
  util::SharedPath temporary_;  // read by the signal watcher too
  pipeline::SinkStats stats_;
};

const config::RegisterSink kRegistration(
    {{"maps",
      "one frame's feature maps as files, as `conveyor apply -o` writes them: exact float "
      "TIFF, 8-bit pictures or text matrices, one file per map",
      {{"path", "a .tif/.tiff, .png/.jpg/.jpeg/.bmp, .txt/.csv file (required)",
        "one map: this file; several: <stem>_<map name>.<ext> (text: one per channel)"},
       {"to_u8", "minmax | abs_scale | clamp (minmax)", "float maps into 8-bit pictures"}},
      "{type: maps, path: out/smiley.tif, input: edges}"},
     true,
     true,
     false,
     read_params,
     [](const config::SinkSpec& spec) { return std::make_unique<MapFilesSink>(spec); },
     {}});

}  // namespace
}  // namespace conveyor::sinks
