// The pipeline file as typed, validated plain structs (docs/pipelines.md).
//
// Every value has its type and its default here, in one place; every struct
// remembers where it was written (file, line, column) and where each of its
// keys was, so the runtime can still point at the YAML when something fails
// after loading (a missing input file, a first frame too small for a stride).
// The loader (pipeline_loader.hpp) fills these and guarantees that a returned
// spec is consistent: names are unique, sink inputs exist, kernels resolved.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "conveyor/conv/kernel.hpp"

namespace conveyor::config {

// A position in a pipeline file; line and column count from 1 (0: unknown).
// For values given with --set, `file` is "--set <the override>".
struct Mark {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:column", shorter when parts are unknown
};

// Where a mapping was written and where each key it contained was.
struct Where {
  Mark mark;
  std::map<std::string, Mark> keys;  // key -> position of its value
  // The key's position if it was written, else the mapping's.
  const Mark& of(const std::string& key) const;
};

enum class ColorMode { Gray, Bgr };  // capture conversion; channels 1 or 3
enum class Pace { None, Realtime };  // realtime: release frames at the source fps

// --- Source ---------------------------------------------------------------

class SourceParams;  // node_registry.hpp
class SinkParams;
struct SourceDescriptor;
struct SinkDescriptor;

// The source: its type's own parameters (read by the type's file, see
// node_registry.hpp) and what every source has.
struct SourceSpec {
  std::string type;                            // the YAML `type`
  std::shared_ptr<const SourceParams> params;  // the type's own values
  const SourceDescriptor* node = nullptr;      // traits and factory
  Pace pace = Pace::None;
  ColorMode color = ColorMode::Gray;
  Where where;

  bool is_live() const;  // the type says so (webcam; gstreamer with is_live)
  // Frame size known before opening (testpattern, webcam as requested).
  std::optional<conv::MapSize> known_size() const;
  double nominal_fps() const;  // 0 when only the stream knows
  // The type's parameters (P: the type's own params class).
  template <class P>
  const P& as() const {
    return dynamic_cast<const P&>(*params);
  }
};

// --- Stages -----------------------------------------------------------------

class StageParams;
struct StageDescriptor;

// A stage: its type's own parameters (read by the type's file, see
// node_registry.hpp; the convolve stage's are convolve_spec.hpp) and what
// every stage has.
struct StageSpec {
  std::string type = "convolve";              // the YAML `type`; convolve when not written
  std::string name;                           // default "stage<index>"
  std::shared_ptr<const StageParams> params;  // the type's own values
  const StageDescriptor* node = nullptr;      // traits and factory
  ColorMode color = ColorMode::Gray;          // of the maps it gives
  // The names of the maps it gives, and whether one map leaves it (its
  // output): filled by the loader from the type and the previous stage.
  std::vector<std::string> map_names;
  bool single_output = true;
  Where where;

  int map_index(const std::string& map_name) const;  // -1 if none
  template <class P>
  const P& as() const {
    return dynamic_cast<const P&>(*params);
  }
};

// --- Sinks ------------------------------------------------------------------

// Which map a sink takes. stage -1: the captured source frame. filter -1: the
// stage's output (combined map, single map, or all maps of the bank in order).
struct MapRef {
  int stage = -1;
  int filter = -1;
};

struct SinkSpec {
  std::string type;                          // the YAML `type`
  std::shared_ptr<const SinkParams> params;  // the type's own values
  const SinkDescriptor* node = nullptr;      // traits and factory
  std::string name;                          // default: the type (type + index when repeated)
  std::string input = "output";  // as written: output | combined | source | stage[.filter] | filter
  MapRef map;                    // resolved input
  Where where;

  template <class P>
  const P& as() const {
    return dynamic_cast<const P&>(*params);
  }
};

// --- Runtime and metrics ----------------------------------------------------

enum class RunMode { Latency, Throughput };

struct RuntimeSpec {
  int threads = 0;  // 0: auto (every hardware thread)
  int max_in_flight = 4;
  int tile_width = 0;  // 0: auto
  int tile_height = 0;
  RunMode mode = RunMode::Latency;
  double max_drop_ratio = 0;  // default 0, or 1 for live sources
  double drain_timeout_s = 5;
  Where where;
};

struct MetricsSpec {
  std::string report;  // JSON report path; empty: none
  std::string trace;   // per-frame CSV path; empty: none
  Where where;
};

struct PipelineSpec {
  std::string name;            // default: the file's stem
  std::filesystem::path file;  // the pipeline file; empty when loaded from a string
  SourceSpec source;
  std::vector<StageSpec> stages;
  std::vector<SinkSpec> sinks;
  RuntimeSpec runtime;
  MetricsSpec metrics;
  std::vector<std::filesystem::path> include_kernels;  // resolved against the file's folder
  Where where;
};

// The names of the maps sink `sink` takes (pipeline::SinkContext::input_maps):
// one for a single map (the map's name, the stage's name for its output,
// "source"), or every map of a stage that keeps several. Empty while its
// input is unresolved.
std::vector<std::string> sink_input_maps(const PipelineSpec& spec, std::size_t sink);

// --- Geometry ---------------------------------------------------------------

// A map between nodes: its size, channels and depth.
struct MapShape {
  int width = 0;
  int height = 0;
  int channels = 1;
  bool is_float = false;  // CV_32F; else 8-bit
  bool operator==(const MapShape&) const = default;
  std::string str() const;  // "320x240, 1 channel, 8-bit"
};

// What one stage takes and gives for a given first frame.
struct StageGeometry {
  std::vector<MapShape> inputs;    // the single map it takes, or each map it takes
  std::vector<MapShape> maps;      // each named map (StageSpec::map_names order)
  std::optional<MapShape> output;  // its single map, when it gives one
};

// Sizes through the whole chain for a first frame of width x height. Throws
// PipelineError at the YAML position of every stage that cannot take its
// input (a map too small for a kernel or a window, maps of different sizes to
// combine). The loader calls it when the source size is known; the runtime
// calls it once the first frame arrives.
std::vector<StageGeometry> check_geometry(const PipelineSpec& spec, int width, int height);

// One table per enum: its YAML names, used for reading and for printing.
template <class E>
using NameTable = std::vector<std::pair<std::string, E>>;
// The name of `value` in `table` ("?" when it has none).
template <class E>
std::string name_of(const NameTable<E>& table, E value) {
  for (const auto& [name, item] : table) {
    if (item == value) return name;
  }
  return "?";
}

const NameTable<ColorMode>& color_names();
const NameTable<Pace>& pace_names();
const NameTable<RunMode>& run_mode_names();

std::string to_string(ColorMode color);
std::string to_string(Pace pace);
std::string to_string(RunMode mode);

}  // namespace conveyor::config
