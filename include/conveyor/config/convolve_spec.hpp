// The `convolve` stage's parameters: a bank of filters, an optional combine
// and post step (docs/pipelines.md, "Stages"). The engine's own stage: its
// kernels are resolved against the kernel library when the pipeline loads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conveyor/config/kernel_library.hpp"
#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/conv/bank.hpp"
#include "conveyor/conv/combine.hpp"
#include "conveyor/conv/kernel.hpp"

namespace conveyor::config {

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

struct ConvolveParams : StageParams {
  ColorMode color_mode = ColorMode::Gray;  // default: the input's color
  int stride_x = 1;                        // bank defaults, already copied into each filter
  int stride_y = 1;
  conv::Border border = conv::Border::Reflect;
  std::vector<FilterSpec> bank;
  std::optional<CombineSpec> combine;
  std::optional<PostSpec> post;
  std::vector<conv::Filter> filters;  // resolved engine filters, bank order

  // One map leaves the stage (a reducing combine, or a one-filter bank).
  bool single_output() const;
  int filter_index(const std::string& name) const;  // -1 if none
  // 8-bit pictures once any normalize or to_u8 applies.
  bool gives_u8() const;

  ColorMode color(ColorMode) const override { return color_mode; }
  StageMaps maps(const StageMaps& input) const override;
  StageGeometry geometry(Context& ctx, const StageSpec& stage, const std::string& path,
                         const StageGeometry& input, bool exact) const override;
  StageDescription describe_plan(const StageGeometry& geometry,
                                 const RuntimeSpec& runtime) const override;
  std::shared_ptr<const StageParams> resolve(Context& ctx, const std::string& path,
                                             const KernelLibrary& library) const override;
};

// Reads a convolve stage's own keys (everything but type and name).
std::shared_ptr<const ConvolveParams> read_convolve_params(Context& ctx, MapReader& map,
                                                           ColorMode input_color);

// The engine filter for one bank entry, its kernel looked up in `library`.
// Throws PipelineError (pipeline_loader.hpp) at the filter's position.
conv::Filter resolve_filter(const FilterSpec& filter, const KernelLibrary& library);
std::vector<conv::Filter> resolve_filters(const ConvolveParams& stage,
                                          const KernelLibrary& library);

const NameTable<Normalize>& normalize_names();  // for reading and printing
std::string to_string(Normalize normalize);

}  // namespace conveyor::config
