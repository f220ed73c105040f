// Map sizes through the stage chain: each stage's type answers for its own
// maps (StageParams::geometry); a stage that cannot take its input is a
// configuration error, found before the first frame when the size is known,
// else when the runtime sees the first frame.
#include "conveyor/config/node_registry.hpp"
#include "pipeline_checks.hpp"

namespace conveyor::config {
namespace pipeline_detail {

std::vector<StageGeometry> check_geometry_into(Context& ctx, const PipelineSpec& spec, int width,
                                               int height, bool exact) {
  std::vector<StageGeometry> result;
  StageGeometry input;  // the source, as a stage with one 8-bit output
  input.output = MapShape{width, height, spec.source.color == ColorMode::Bgr ? 3 : 1, false};
  for (std::size_t s = 0; s < spec.stages.size(); ++s) {
    const StageSpec& stage = spec.stages[s];
    StageGeometry geometry =
        stage.params->geometry(ctx, stage, "stages." + std::to_string(s), input, exact);
    result.push_back(geometry);
    // Later stages have no usable input.
    if (ctx.failed() || (!geometry.output && geometry.maps.empty())) break;
    input = std::move(geometry);
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
