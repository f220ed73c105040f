// The open set of node types. Each source, stage and sink type lives in one
// file that registers one descriptor here: its YAML `type` name, a one-line
// summary, its parameters (documented, read with the strict reader of
// yaml_reader.hpp), its traits and its factory. Nothing else in Conveyor
// names a node type: the loader, `validate`, `nodes`, the path checks and
// the runner ask the descriptor (docs/pipelines.md, "Adding a node type").
//
// A type the running program does not know may live in the media plugin
// (pipeline/media_plugin.hpp): the first lookup that misses loads it once.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "conveyor/config/sink_geometry.hpp"
#include "conveyor/conv/bank.hpp"
#include "conveyor/util/file_set.hpp"

namespace conveyor::pipeline {
class Source;
class Stage;
class Sink;
}  // namespace conveyor::pipeline

namespace conveyor::config {

namespace pipeline_detail {
class Context;
class MapReader;
}  // namespace pipeline_detail

struct SourceSpec;
struct StageSpec;
struct SinkSpec;
struct RuntimeSpec;
class KernelLibrary;

using pipeline_detail::Context;
using pipeline_detail::MapReader;

// One parameter, as `conveyor nodes` and docs/pipelines.md list it.
struct ParamDoc {
  std::string key;
  std::string value;    // what it takes and its default: "pixels 1..16384 (1280)"
  std::string summary;  // what it does
};

// What every node type says about itself.
struct NodeDoc {
  std::string type;     // the YAML `type`
  std::string summary;  // one line
  std::vector<ParamDoc> params;
  std::string example;  // one YAML flow mapping that works
};

// A file or pattern a node reads or writes, for the clash checks and the
// clean-up of stale temporaries. `key` is the node's own key ("path").
struct NodePath {
  NodePath(std::string key_, util::FileSet files_, bool on_demand_ = false, std::string label_ = {})
      : key(std::move(key_)),
        files(std::move(files_)),
        on_demand(on_demand_),
        label(std::move(label_)) {}

  std::string key;
  util::FileSet files;
  // Written only on demand (display snapshots): against inputs only files
  // that exist count, and the same set from several nodes counts once.
  bool on_demand = false;
  std::string label;  // shown instead of the key when it has none: " (its snapshots)"
};

// A node's parameters after reading: a type of the node's own file derives
// from one of these. The traits that depend on the values are answered here.
class NodeParams {
 public:
  virtual ~NodeParams() = default;
  virtual std::vector<NodePath> paths() const { return {}; }
  // The values that matter, for `validate` and logs: "clip.mkv (FFV1)".
  virtual std::string describe() const { return {}; }
};

class SourceParams : public NodeParams {
 public:
  virtual bool live() const { return false; }  // frames come at the source's pace
  // The frame size before opening (a test pattern; a webcam as requested).
  virtual std::optional<conv::MapSize> known_size() const { return std::nullopt; }
  virtual double nominal_fps() const { return 0; }  // 0 when only the stream knows
  // True when reading a frame takes it from the run (a named pipe, a
  // device): `validate` then leaves the size to the run.
  virtual bool probing_consumes_input() const { return false; }
};

class SinkParams : public NodeParams {
 public:
  // The files it writes once the maps it takes are known (their names, as
  // SinkContext::input_maps): for a sink whose file names depend on them.
  virtual std::vector<NodePath> paths_for(const std::vector<std::string>& /*input_maps*/) const {
    return paths();
  }
};

// The maps a stage gives: their names (what `stage.name` picks in a sink's
// input) and whether one map leaves the stage (its output, what a stage that
// needs one map takes). Several maps without a single one: a sink taking the
// stage gets their labelled mosaic.
struct StageMaps {
  std::vector<std::string> names;
  bool single = true;
};

// What `validate` prints of a stage: a summary after "stage N 'name': ",
// detail lines below it, and its share of the work.
struct StageDescription {
  std::string summary;             // "320x240x1 input, 2 filter(s), 1.4 M multiply-adds/frame"
  std::vector<std::string> lines;  // printed indented by two spaces
  double macs_per_frame = 0;       // multiply-adds (or comparisons) per frame
};

class StageParams : public NodeParams {
 public:
  // The color of the maps it gives for an input of `input` color.
  virtual ColorMode color(ColorMode input) const { return input; }
  // What it gives for `input`, the previous stage's maps ({{}, true} after
  // the source).
  virtual StageMaps maps(const StageMaps& input) const = 0;
  // Shapes for `input` (the previous stage's geometry, or the source's as a
  // single output). Every problem is reported to `ctx` at the stage's YAML
  // positions (`path`: "stages.1"). `exact`: the input size is the real one,
  // so maps too small are errors; otherwise it is a probe (size unknown until
  // the first frame) and only problems at every size are reported.
  virtual StageGeometry geometry(Context& ctx, const StageSpec& stage, const std::string& path,
                                 const StageGeometry& input, bool exact) const = 0;
  // What `validate` prints for this geometry (runtime.threads: the threads
  // the run would use).
  virtual StageDescription describe_plan(const StageGeometry& geometry,
                                         const RuntimeSpec& runtime) const = 0;
  // Parameters that name things in the kernel library (the convolve stage's
  // kernels) are resolved once the library is known: a copy with them
  // resolved, or nullptr when nothing needs resolving. Problems go to `ctx`.
  virtual std::shared_ptr<const StageParams> resolve(Context& /*ctx*/, const std::string& /*path*/,
                                                     const KernelLibrary& /*library*/) const {
    return nullptr;
  }
};

// A stage that treats each map of its input alike (StageInput::Each, as
// resize and pool): one map in gives one map out, several give several under
// the same names. It answers for one map; the rest is done here.
class PerMapParams : public StageParams {
 public:
  // The shape it gives for one map of shape `in`; a side <= 0: it cannot
  // take the map.
  virtual MapShape shape_for(const MapShape& in) const = 0;
  // What would fit, for the error when it cannot take a map: "a window that
  // fits the input (a padded border or a smaller size)".
  virtual std::string fit_hint() const { return "an input this stage can take"; }

  StageMaps maps(const StageMaps& input) const override;
  // Reports a map it cannot take at the stage's position (exact sizes only).
  StageGeometry geometry(Context& ctx, const StageSpec& stage, const std::string& path,
                         const StageGeometry& input, bool exact) const override;
};

// What a stage must produce for a run, from the sinks and the next stage.
struct StageNeeds {
  bool maps = false;   // every named map (a sink, a mosaic or the next stage takes them)
  bool views = false;  // a window shows its views: the maps' pictures when they are made anyway
};

// What a stage takes: the single map of its input (the previous stage must
// give one), or each map of its input, which it treats one by one.
enum class StageInput { One, Each };

struct SourceDescriptor {
  NodeDoc doc;
  // Source::close() from another thread wakes a read() that blocks (a camera
  // reconnecting), so a stop request is served at once.
  bool interruptible = false;
  std::function<std::shared_ptr<const SourceParams>(Context&, MapReader&)> read;
  std::function<std::unique_ptr<pipeline::Source>(const SourceSpec&)> make;
};

struct SinkDescriptor {
  NodeDoc doc;
  bool reads_images = true;  // false: write() gets an empty image, no picture is made
  bool takes_views = false;  // gets every view of its stage (write_views), as a window does
  bool main_thread = false;  // must run on the main thread (HighGUI): a MainThreadLoop
  std::function<std::shared_ptr<const SinkParams>(Context&, MapReader&)> read;
  std::function<std::unique_ptr<pipeline::Sink>(const SinkSpec&)> make;
  // Optional: opens what write() will open, on a probe, before the first
  // frame; throws PipelineError at the sink's key. `index`: the sink's place.
  std::function<void(const SinkSpec&, std::size_t index, const SinkInput&, bool size_known)> probe;
};

struct StageDescriptor {
  NodeDoc doc;
  StageInput input = StageInput::One;
  // `input_color`: the color of the stage's input (the source's, or the
  // previous stage's).
  std::function<std::shared_ptr<const StageParams>(Context&, MapReader&, ColorMode input_color)>
      read;
  std::function<std::unique_ptr<pipeline::Stage>(const StageSpec&, const RuntimeSpec&,
                                                 const StageNeeds&)>
      make;
};

void register_source(SourceDescriptor descriptor);
void register_stage(StageDescriptor descriptor);
void register_sink(SinkDescriptor descriptor);

// nullptr when no type has this name, even in the media plugin.
const SourceDescriptor* find_source(const std::string& type);
const StageDescriptor* find_stage(const std::string& type);
const SinkDescriptor* find_sink(const std::string& type);
// Every registered type, by name (loads the media plugin first).
std::vector<const SourceDescriptor*> all_sources();
std::vector<const StageDescriptor*> all_stages();
std::vector<const SinkDescriptor*> all_sinks();
std::vector<std::string> source_names();
std::vector<std::string> stage_names();
std::vector<std::string> sink_names();

// Called once by the first lookup that misses; set by the pipeline layer.
// It may throw (a plugin that cannot be loaded): lookups then miss.
void set_plugin_loader(std::function<void()> loader);
// Why the plugin could not be loaded, once a lookup tried; else empty.
std::string plugin_problem();

// A static object in a node's file registers it before main().
struct RegisterSource {
  explicit RegisterSource(SourceDescriptor descriptor) { register_source(std::move(descriptor)); }
};
struct RegisterStage {
  explicit RegisterStage(StageDescriptor descriptor) { register_stage(std::move(descriptor)); }
};
struct RegisterSink {
  explicit RegisterSink(SinkDescriptor descriptor) { register_sink(std::move(descriptor)); }
};

}  // namespace conveyor::config
