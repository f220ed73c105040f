// Feature-map sizes through the stage chain: empty maps and combines over maps
// of different sizes are configuration errors, found before the first frame
// when the size is known, else when the runtime sees the first frame.
#include "conveyor/conv/errors.hpp"
#include "pipeline_checks.hpp"

namespace conveyor::config {
namespace pipeline_detail {
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

}  // namespace

std::vector<StageGeometry> check_geometry_into(Context& ctx, const PipelineSpec& spec, int width,
                                               int height, bool exact) {
  std::vector<StageGeometry> result;
  conv::PixelType type = conv::PixelType::U8;  // captured frames are 8-bit
  for (std::size_t s = 0; s < spec.stages.size(); ++s) {
    const StageSpec& stage = spec.stages[s];
    const std::string path = "stages." + std::to_string(s);
    StageGeometry geometry;
    geometry.input = conv::InputShape{width, height, stage.color == ColorMode::Bgr ? 3 : 1, type};
    bool empty = false;
    for (std::size_t f = 0; f < stage.filters.size(); ++f) {
      const conv::Filter& filter = stage.filters[f];
      const conv::MapSize size = conv::output_size(filter, width, height);
      geometry.maps.push_back(size);
      if (exact && (size.width <= 0 || size.height <= 0)) {
        empty = true;
        ctx.error(stage.bank[f].where.mark,
                  path + ".bank." + std::to_string(f) + ": filter '" + filter.name + "' (" +
                      size_text(filter.kernel.width, filter.kernel.height) + " kernel, " +
                      placement(filter) + ") leaves an empty " +
                      size_text(size.width, size.height) + " feature map for its " +
                      size_text(width, height) +
                      " input; expected a kernel that fits the input (a padded border or a "
                      "smaller stride)");
      }
    }
    if (stage.combine && !geometry.maps.empty()) {
      const auto& inputs = stage.combine->input_indices;
      const auto first = static_cast<std::size_t>(inputs.front());
      for (const int index : inputs) {
        const auto i = static_cast<std::size_t>(index);
        if (geometry.maps[i].width == geometry.maps[first].width &&
            geometry.maps[i].height == geometry.maps[first].height)
          continue;
        ctx.error(stage.combine->where.mark,
                  path + ".combine: maps of different sizes for a " + size_text(width, height) +
                      " input: '" + stage.bank[first].name + "' " +
                      size_text(geometry.maps[first].width, geometry.maps[first].height) + " (" +
                      placement(stage.filters[first]) + ") and '" + stage.bank[i].name + "' " +
                      size_text(geometry.maps[i].width, geometry.maps[i].height) + " (" +
                      placement(stage.filters[i]) +
                      "); expected maps of one size: give the inputs the same stride and border");
        empty = true;
        break;
      }
    }
    if (stage.single_output() && !geometry.maps.empty()) {
      const int index = stage.combine ? stage.combine->input_indices.front() : 0;
      geometry.output = geometry.maps[static_cast<std::size_t>(index)];
    }
    result.push_back(geometry);
    if (empty || !stage.single_output()) break;  // later stages have no usable input
    width = geometry.output.width;
    height = geometry.output.height;
    type = (stage.post && stage.post->to_u8) ? conv::PixelType::U8 : conv::PixelType::F32;
  }
  return result;
}

}  // namespace pipeline_detail

std::vector<StageGeometry> check_geometry(const PipelineSpec& spec, int width, int height) {
  const std::string file = spec.file.empty() ? spec.name : spec.file.string();
  pipeline_detail::Context ctx(file, {});
  if (width <= 0 || height <= 0) {
    ctx.error(spec.source.where.mark, "source: first frame is " + std::to_string(width) + "x" +
                                          std::to_string(height) + "; expected a non-empty frame");
  }
  auto result = pipeline_detail::check_geometry_into(ctx, spec, width, height, true);
  ctx.throw_if_failed();
  return result;
}

}  // namespace conveyor::config
