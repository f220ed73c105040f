// Checks across sections: kernels against the library, stage chaining and sink
// inputs (output paths: pipeline_paths.cpp).
#include <algorithm>

#include "conveyor/config/convolve_spec.hpp"
#include "conveyor/conv/errors.hpp"
#include "pipeline_checks.hpp"

namespace conveyor::config {
namespace pipeline_detail {

bool resolve_filter_into(Context& ctx, const FilterSpec& filter, const std::string& path,
                         const KernelLibrary& library, conv::Filter& out) {
  const KernelRef& ref = filter.kernel;
  try {
    conv::Kernel kernel;
    if (ref.kind == KernelRefKind::Inline) {
      kernel = conv::make_kernel(ref.rows, filter.name);
    } else if (!library.contains(ref.name)) {
      ctx.error(ref.where.mark, path + ".kernel: unknown kernel '" + ref.name +
                                    "'; expected a kernel of the library or inline weights" +
                                    util::did_you_mean(ref.name, library.names()));
      return false;
    } else {
      kernel = library.get(ref.name, ref.params);
    }
    if (filter.anchor_x) kernel.anchor_x = filter.anchor_x;
    if (filter.anchor_y) kernel.anchor_y = filter.anchor_y;
    out = conv::Filter{filter.name,     std::move(kernel), filter.stride_x,
                       filter.stride_y, filter.border,     filter.flip};
    conv::validate_filter(out);
    return true;
  } catch (const ConfigError& e) {  // the library's
    ctx.error(filter.where.mark, path + ": " + e.what());
    return false;
  } catch (const conv::ConfigError& e) {  // the engine's rules for a filter
    ctx.error(filter.where.mark, path + ": " + e.what());
    return false;
  }
}

void resolve_stages(Context& ctx, PipelineSpec& spec, const KernelLibrary& library) {
  for (std::size_t s = 0; s < spec.stages.size(); ++s) {
    StageSpec& stage = spec.stages[s];
    if (auto resolved = stage.params->resolve(ctx, "stages." + std::to_string(s), library))
      stage.params = std::move(resolved);
  }
}

void chain_stages(Context& ctx, PipelineSpec& spec) {
  StageMaps input;  // the source: one map
  for (std::size_t s = 0; s < spec.stages.size(); ++s) {
    StageSpec& stage = spec.stages[s];
    if (s > 0 && stage.node->input == StageInput::One && !input.single) {
      const StageSpec& previous = spec.stages[s - 1];
      ctx.error(stage.where.mark,
                "stages." + std::to_string(s) + ": its input, stage '" + previous.name +
                    "', keeps " + std::to_string(input.names.size()) + " maps (" +
                    join_names(input.names) + ") without combining them; expected a single map: " +
                    "add a combine (magnitude, sum_abs, max, max_abs, weighted_sum) to '" +
                    previous.name + "' or keep one filter");
    }
    const StageMaps maps = stage.params->maps(input);
    stage.map_names = maps.names;
    stage.single_output = maps.single;
    input = maps;
  }
}

namespace {

// All names a sink input may use, for "did you mean".
std::vector<std::string> input_names(const PipelineSpec& spec) {
  std::vector<std::string> names = {"output", "combined", "source"};
  for (const auto& stage : spec.stages) {
    names.push_back(stage.name);
    for (const auto& map : stage.map_names) {
      names.push_back(map);
      names.push_back(stage.name + "." + map);
    }
  }
  return names;
}

bool is_output(const std::string& text) {
  return text == "output" || text == "combined";
}

// Resolves one input; returns an empty string or the problem.
std::string resolve_input(const PipelineSpec& spec, const std::string& input, MapRef& map) {
  const int last = static_cast<int>(spec.stages.size()) - 1;
  const auto hit = [&map](MapRef ref) {
    map = ref;
    return std::string();
  };
  if (is_output(input)) return hit(MapRef{last, -1});
  if (input == "source") return hit(MapRef{-1, -1});
  const std::size_t dot = input.find('.');
  if (dot != std::string::npos) {
    const std::string stage_name = input.substr(0, dot);
    const std::string map_name = input.substr(dot + 1);
    for (std::size_t s = 0; s < spec.stages.size(); ++s) {
      if (spec.stages[s].name != stage_name) continue;
      if (is_output(map_name)) return hit(MapRef{static_cast<int>(s), -1});
      const int f = spec.stages[s].map_index(map_name);
      if (f >= 0) return hit(MapRef{static_cast<int>(s), f});
      const auto& names = spec.stages[s].map_names;
      return "stage '" + stage_name + "' has no map '" + map_name + "'" +
             (names.empty() ? std::string(" (it gives one map)")
                            : " (its maps: " + join_names(names) + ")");
    }
    return "no stage is named '" + stage_name + "'";
  }
  std::vector<MapRef> found;
  std::vector<std::string> where;
  for (std::size_t s = 0; s < spec.stages.size(); ++s) {
    if (spec.stages[s].name == input) {
      found.push_back(MapRef{static_cast<int>(s), -1});
      where.push_back("stage '" + input + "'");
    }
    const int f = spec.stages[s].map_index(input);
    if (f >= 0) {
      found.push_back(MapRef{static_cast<int>(s), f});
      where.push_back(spec.stages[s].name + "." + input);
    }
  }
  if (found.size() == 1) return hit(found.front());
  if (found.empty()) return "no map is named '" + input + "'";
  return "'" + input + "' is ambiguous (" + join_names(where) + "); name one as stage.filter";
}

}  // namespace

void resolve_sink_inputs(Context& ctx, PipelineSpec& spec) {
  const auto names = input_names(spec);
  for (std::size_t i = 0; i < spec.sinks.size(); ++i) {
    SinkSpec& sink = spec.sinks[i];
    const std::string problem = resolve_input(spec, sink.input, sink.map);
    if (problem.empty()) continue;
    ctx.error(sink.where.of("input"),
              "sinks." + std::to_string(i) + ".input: " + problem +
                  "; expected output, source, a stage name, stage.map or a map name" +
                  util::did_you_mean(sink.input, names));
  }
}

}  // namespace pipeline_detail

}  // namespace conveyor::config
