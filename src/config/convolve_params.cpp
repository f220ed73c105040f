// The convolve stage's answers to the stage contract (node_registry.hpp):
// which maps it gives, their sizes for an input, what `validate` prints, and
// its kernels resolved against the library.
#include "conveyor/config/convolve_spec.hpp"
#include "conveyor/conv/errors.hpp"
#include "pipeline_checks.hpp"

namespace conveyor::config {
namespace {

std::string size_text(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

std::string placement(const conv::Filter& filter) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + to_string().
  std::string text = "stride ";
  text += std::to_string(filter.stride_x);
  if (filter.stride_y != filter.stride_x) text += ',' + std::to_string(filter.stride_y);
  text += ", border ";
  return text + conv::to_string(filter.border);
}

// Reports a combine over maps of different sizes; true when there is one.
bool combine_mismatch(Context& ctx, const ConvolveParams& params, const std::string& path,
                      const std::vector<MapShape>& maps, const MapShape& input) {
  const auto& inputs = params.combine->input_indices;
  const auto first = static_cast<std::size_t>(inputs.front());
  for (const int index : inputs) {
    const auto i = static_cast<std::size_t>(index);
    if (maps[i].width == maps[first].width && maps[i].height == maps[first].height) continue;
    ctx.error(params.combine->where.mark,
              path + ".combine: maps of different sizes for a " +
                  size_text(input.width, input.height) + " input: '" + params.bank[first].name +
                  "' " + size_text(maps[first].width, maps[first].height) + " (" +
                  placement(params.filters[first]) + ") and '" + params.bank[i].name + "' " +
                  size_text(maps[i].width, maps[i].height) + " (" + placement(params.filters[i]) +
                  "); expected maps of one size: give the inputs the same stride and border");
    return true;
  }
  return false;
}

}  // namespace

bool ConvolveParams::single_output() const {
  if (combine) return combine->op != conv::CombineOp::Stack || combine->inputs.size() == 1;
  return bank.size() == 1;
}

int ConvolveParams::filter_index(const std::string& name) const {
  for (std::size_t i = 0; i < bank.size(); ++i) {
    if (bank[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool ConvolveParams::gives_u8() const {
  return post && (post->to_u8 || post->normalize != Normalize::None);
}

StageMaps ConvolveParams::maps(const StageMaps& /*input*/) const {
  StageMaps maps;
  for (const auto& filter : bank) maps.names.push_back(filter.name);
  maps.single = single_output();
  return maps;
}

StageGeometry ConvolveParams::geometry(Context& ctx, const StageSpec& /*stage*/,
                                       const std::string& path, const StageGeometry& input,
                                       bool exact) const {
  StageGeometry geometry;
  if (!input.output) return geometry;  // check_stage_chain reported it
  const MapShape taken{input.output->width, input.output->height,
                       color_mode == ColorMode::Bgr ? 3 : 1, input.output->is_float};
  geometry.inputs.push_back(taken);
  bool empty = false;
  for (std::size_t f = 0; f < filters.size(); ++f) {
    const conv::Filter& filter = filters[f];
    const conv::MapSize size = conv::output_size(filter, taken.width, taken.height);
    geometry.maps.push_back({size.width, size.height, taken.channels, !gives_u8()});
    if (!exact || (size.width > 0 && size.height > 0)) continue;
    empty = true;
    ctx.error(bank[f].where.mark,
              path + ".bank." + std::to_string(f) + ": filter '" + filter.name + "' (" +
                  size_text(filter.kernel.width, filter.kernel.height) + " kernel, " +
                  placement(filter) + ") leaves an empty " + size_text(size.width, size.height) +
                  " feature map for its " + size_text(taken.width, taken.height) +
                  " input; expected a kernel that fits the input (a padded border or a "
                  "smaller stride)");
  }
  if (combine && !geometry.maps.empty())
    empty = combine_mismatch(ctx, *this, path, geometry.maps, taken) || empty;
  if (!empty && single_output() && !geometry.maps.empty()) {
    const int index = combine ? combine->input_indices.front() : 0;
    geometry.output = geometry.maps[static_cast<std::size_t>(index)];
  }
  return geometry;
}

StageDescription ConvolveParams::describe_plan(const StageGeometry& geometry,
                                               const RuntimeSpec& runtime) const {
  StageDescription description;
  if (geometry.inputs.empty()) return description;
  const MapShape& in = geometry.inputs.front();
  const conv::InputShape shape{in.width, in.height, in.channels,
                               in.is_float ? conv::PixelType::F32 : conv::PixelType::U8};
  const conv::PlanOptions options{runtime.threads, runtime.tile_width, runtime.tile_height};
  const conv::PlanInfo info = conv::BankPlan(filters, shape, options).info();
  char text[256];
  std::snprintf(text, sizeof text, "%dx%dx%d input, %zu filter(s), %.1f M multiply-adds/frame",
                in.width, in.height, in.channels, info.filters.size(), info.macs_per_frame / 1e6);
  description.summary = text;
  for (const auto& f : info.filters) {
    const std::string how = f.separable
                                ? "separable (row pass " + std::to_string(f.shared_row_pass) + ")"
                                : std::string("direct 2-D");
    std::snprintf(text, sizeof text, "%-16s -> %dx%d  %s, %d multiply-adds/pixel", f.name.c_str(),
                  f.out_width, f.out_height, how.c_str(), f.taps);
    description.lines.emplace_back(text);
  }
  if (combine && geometry.output) {
    description.lines.push_back("combine " + conv::to_string(combine->op) + " -> " +
                                size_text(geometry.output->width, geometry.output->height));
  }
  std::snprintf(text, sizeof text,
                "%d row pass(es) shared, tiles %dx%d (%d per frame), %d thread(s), SIMD %s",
                info.row_passes, info.tile_width, info.tile_height, info.tiles, info.threads,
                info.simd_target.c_str());
  description.lines.emplace_back(text);
  description.macs_per_frame = info.macs_per_frame;
  return description;
}

std::shared_ptr<const StageParams> ConvolveParams::resolve(Context& ctx, const std::string& path,
                                                           const KernelLibrary& library) const {
  auto resolved = std::make_shared<ConvolveParams>(*this);
  resolved->filters.clear();
  for (std::size_t f = 0; f < bank.size(); ++f) {
    conv::Filter filter;
    if (pipeline_detail::resolve_filter_into(ctx, bank[f], path + ".bank." + std::to_string(f),
                                             library, filter))
      resolved->filters.push_back(std::move(filter));
  }
  return resolved;
}

conv::Filter resolve_filter(const FilterSpec& filter, const KernelLibrary& library) {
  pipeline_detail::Context ctx(filter.where.mark.file, {});
  conv::Filter out;
  pipeline_detail::resolve_filter_into(ctx, filter, "filter '" + filter.name + "'", library, out);
  ctx.throw_if_failed();
  return out;
}

std::vector<conv::Filter> resolve_filters(const ConvolveParams& stage,
                                          const KernelLibrary& library) {
  std::vector<conv::Filter> filters;
  for (const auto& filter : stage.bank) filters.push_back(resolve_filter(filter, library));
  return filters;
}

const NameTable<Normalize>& normalize_names() {
  static const NameTable<Normalize> table = {{"none", Normalize::None},
                                             {"abs_scale", Normalize::AbsScale},
                                             {"clamp", Normalize::Clamp},
                                             {"minmax", Normalize::MinMax}};
  return table;
}

std::string to_string(Normalize normalize) {
  return name_of(normalize_names(), normalize);
}

}  // namespace conveyor::config
