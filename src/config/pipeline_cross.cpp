// Checks across sections: kernels against the library, stage chaining and sink
// inputs (output paths: pipeline_paths.cpp).
#include <algorithm>

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
  } catch (const conv::ConfigError& e) {
    ctx.error(filter.where.mark, path + ": " + e.what());
    return false;
  }
}

void resolve_kernels(Context& ctx, PipelineSpec& spec, const KernelLibrary& library) {
  for (std::size_t s = 0; s < spec.stages.size(); ++s) {
    StageSpec& stage = spec.stages[s];
    stage.filters.clear();
    for (std::size_t f = 0; f < stage.bank.size(); ++f) {
      conv::Filter filter;
      const std::string path = "stages." + std::to_string(s) + ".bank." + std::to_string(f);
      if (resolve_filter_into(ctx, stage.bank[f], path, library, filter))
        stage.filters.push_back(std::move(filter));
    }
  }
}

void check_stage_chain(Context& ctx, const PipelineSpec& spec) {
  for (std::size_t s = 1; s < spec.stages.size(); ++s) {
    const StageSpec& previous = spec.stages[s - 1];
    if (previous.single_output()) continue;
    std::vector<std::string> names;
    for (const auto& filter : previous.bank) names.push_back(filter.name);
    ctx.error(spec.stages[s].where.mark,
              "stages." + std::to_string(s) + ": its input, stage '" + previous.name + "', keeps " +
                  std::to_string(names.size()) + " maps (" + join_names(names) +
                  ") without combining them; expected a single map: add a combine (magnitude, "
                  "sum_abs, max, max_abs, weighted_sum) to '" +
                  previous.name + "' or keep one filter");
  }
}

namespace {

// All names a sink input may use, for "did you mean".
std::vector<std::string> input_names(const PipelineSpec& spec) {
  std::vector<std::string> names = {"output", "combined", "source"};
  for (const auto& stage : spec.stages) {
    names.push_back(stage.name);
    for (const auto& filter : stage.bank) {
      names.push_back(filter.name);
      names.push_back(stage.name + "." + filter.name);
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
    const std::string filter_name = input.substr(dot + 1);
    for (std::size_t s = 0; s < spec.stages.size(); ++s) {
      if (spec.stages[s].name != stage_name) continue;
      if (is_output(filter_name)) return hit(MapRef{static_cast<int>(s), -1});
      const int f = spec.stages[s].filter_index(filter_name);
      if (f >= 0) return hit(MapRef{static_cast<int>(s), f});
      return "stage '" + stage_name + "' has no filter '" + filter_name + "'";
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
    const int f = spec.stages[s].filter_index(input);
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
                  "; expected output, source, a stage name, stage.filter or a filter name" +
                  util::did_you_mean(sink.input, names));
  }
}

}  // namespace pipeline_detail

conv::Filter resolve_filter(const FilterSpec& filter, const KernelLibrary& library) {
  pipeline_detail::Context ctx(filter.where.mark.file, {});
  conv::Filter out;
  pipeline_detail::resolve_filter_into(ctx, filter, "filter '" + filter.name + "'", library, out);
  ctx.throw_if_failed();
  return out;
}

std::vector<conv::Filter> resolve_filters(const StageSpec& stage, const KernelLibrary& library) {
  std::vector<conv::Filter> filters;
  for (const auto& filter : stage.bank) filters.push_back(resolve_filter(filter, library));
  return filters;
}

}  // namespace conveyor::config
