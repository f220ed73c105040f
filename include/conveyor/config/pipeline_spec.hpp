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
#include <vector>

#include "conveyor/config/kernel_library.hpp"
#include "conveyor/conv/bank.hpp"
#include "conveyor/conv/combine.hpp"
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

enum class KernelRefKind { Named, Parameterised, Inline };

// `kernel: sobel_x`, `kernel: {gaussian: {size: 5, sigma: 1.2}}` or
// `weights: [[0,-1,0],[-1,5,-1],[0,-1,0]]` (also accepted as `kernel: [[...]]`).
struct KernelRef {
  KernelRefKind kind = KernelRefKind::Named;
  std::string name;                      // library name or family (Named, Parameterised)
  KernelParams params;                   // Parameterised only
  std::vector<std::vector<float>> rows;  // Inline only; all finite, rectangular
  Where where;
};

struct FilterSpec {
  std::string name;  // unique in its stage; default: the kernel name
  KernelRef kernel;
  int stride_x = 1;  // bank default applied by the loader
  int stride_y = 1;
  conv::Border border = conv::Border::Reflect;
  bool flip = false;
  std::optional<int> anchor_x;
  std::optional<int> anchor_y;
  Where where;
};

struct CombineSpec {
  conv::CombineOp op = conv::CombineOp::Magnitude;
  std::vector<std::string> inputs;  // filter names; the loader fills "all" in bank order
  std::vector<int> input_indices;   // the same, as bank indices
  std::vector<float> weights;       // weighted_sum only: one per input (default 1 each)
  Where where;
};

enum class Normalize { None, AbsScale, Clamp, MinMax };

// After filtering (and combining): map values to a picture.
//   abs_scale: |v| * scale   clamp: v * scale in [0, 255]   minmax: stretch to [0, 255]
//   none: v * scale.  threshold: v >= t -> 255 else 0, after normalizing.
struct PostSpec {
  Normalize normalize = Normalize::None;
  float scale = 1.0f;
  std::optional<float> threshold;
  bool to_u8 = false;  // default: true unless normalize is none
  Where where;
};

struct StageSpec {
  std::string name;                   // default "stage<index>"
  ColorMode color = ColorMode::Gray;  // default: the previous stage's (or source's) color
  int stride_x = 1;                   // bank defaults, already copied into each filter
  int stride_y = 1;
  conv::Border border = conv::Border::Reflect;
  std::vector<FilterSpec> bank;
  std::optional<CombineSpec> combine;
  std::optional<PostSpec> post;
  std::vector<conv::Filter> filters;  // resolved engine filters, bank order
  Where where;

  // One map leaves the stage (a reducing combine, or a one-filter bank); only
  // then can another stage follow it.
  bool single_output() const;
  int filter_index(const std::string& name) const;  // -1 if none
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

// --- Resolution and geometry ------------------------------------------------

// The engine filter for one bank entry, its kernel looked up in `library`.
// Throws PipelineError (pipeline_loader.hpp) at the filter's position.
conv::Filter resolve_filter(const FilterSpec& filter, const KernelLibrary& library);
std::vector<conv::Filter> resolve_filters(const StageSpec& stage, const KernelLibrary& library);

struct StageGeometry {
  conv::InputShape input;           // what the stage's bank plan is built for
  std::vector<conv::MapSize> maps;  // each filter's feature map, bank order
  conv::MapSize output;             // combined or single map; {0,0} when several
};

// Sizes through the whole chain for a first frame of width x height. Throws
// PipelineError at the YAML position of every filter that leaves an empty
// map, every combine over maps of different sizes, every stage fed a map that
// is too small. The loader calls it when the source size is known; the runtime
// calls it once the first frame arrives.
std::vector<StageGeometry> check_geometry(const PipelineSpec& spec, int width, int height);

// Names used in messages and by the CLI.
std::string to_string(ColorMode color);
std::string to_string(Normalize normalize);
std::string to_string(RunMode mode);

}  // namespace conveyor::config
