// Which files a pipeline reads and writes, and no output over an input or
// another output (pipeline_paths.hpp).
#include "pipeline_paths.hpp"

#include <algorithm>
#include <utility>

#include "conveyor/config/node_registry.hpp"

namespace conveyor::config::pipeline_detail {
namespace {

using util::FileSet;

// Every file a node's parameters name (node_registry.hpp), under the node's
// key: "source.path", "sinks.1.pattern".
void add_node(std::vector<PathUse>& uses, std::vector<NodePath> paths, const std::string& key,
              const Where& where, PathRole role, std::vector<std::string>& on_demand_seen) {
  for (auto& path : paths) {
    if (path.on_demand) {
      const std::string& spelling = path.files.spelling();
      if (std::find(on_demand_seen.begin(), on_demand_seen.end(), spelling) != on_demand_seen.end())
        continue;  // the same names from several nodes count once
      on_demand_seen.push_back(spelling);
    }
    const std::string name = path.key.empty() ? key + path.label : key + "." + path.key;
    const Mark mark = path.key.empty() ? where.mark : where.of(path.key);
    uses.push_back({name, mark, role, std::move(path.files), path.on_demand});
  }
}

std::string position(const Context& ctx, const Mark& mark) {
  const bool named = mark.line > 0 || (!mark.file.empty() && mark.file != ctx.file());
  return named ? " (" + mark.str() + ")" : "";
}

std::string consequence(PathRole role) {
  switch (role) {
    case PathRole::Input:
      return "the pipeline would overwrite its input";
    case PathRole::PipelineFile:
      return "the run would overwrite its own pipeline file";
    case PathRole::KernelFile:
      return "the run would overwrite a kernel file it reads";
    case PathRole::Output:
      break;
  }
  return "two outputs would write one file: one would corrupt or replace the other";
}

}  // namespace

std::vector<PathUse> collect_path_uses(const PipelineSpec& spec,
                                       const std::filesystem::path& pipeline_file,
                                       const std::vector<KernelFileUse>& kernel_files) {
  std::vector<PathUse> uses;
  std::vector<std::string> on_demand_seen;
  if (spec.source.params)
    add_node(uses, spec.source.params->paths(), "source", spec.source.where, PathRole::Input,
             on_demand_seen);
  if (!pipeline_file.empty()) {
    uses.push_back({"the pipeline file", Mark{pipeline_file.string()}, PathRole::PipelineFile,
                    FileSet::file(pipeline_file.string())});
  }
  for (const auto& kernel : kernel_files) {
    uses.push_back(
        {kernel.key, kernel.mark, PathRole::KernelFile, FileSet::file(kernel.path.string())});
  }
  for (std::size_t i = 0; i < spec.sinks.size(); ++i) {
    const SinkSpec& sink = spec.sinks[i];
    if (sink.params)
      add_node(uses, sink.params->paths_for(sink_input_maps(spec, i)), "sinks." + std::to_string(i),
               sink.where, PathRole::Output, on_demand_seen);
  }
  const MetricsSpec& metrics = spec.metrics;
  if (!metrics.report.empty()) {
    uses.push_back({"metrics.report", metrics.where.of("report"), PathRole::Output,
                    FileSet::file(metrics.report)});
  }
  if (!metrics.trace.empty()) {
    uses.push_back({"metrics.trace", metrics.where.of("trace"), PathRole::Output,
                    FileSet::file(metrics.trace)});
  }
  return uses;
}

void check_path_uses(Context& ctx, const std::vector<PathUse>& uses) {
  for (std::size_t i = 0; i < uses.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      // Reported at the output; for two outputs at the later one.
      const bool later_writes = uses[i].role == PathRole::Output;
      if (!later_writes && uses[j].role != PathRole::Output) continue;
      const PathUse& output = later_writes ? uses[i] : uses[j];
      const PathUse& other = later_writes ? uses[j] : uses[i];
      const bool two_outputs = other.role == PathRole::Output;
      const bool clash = output.on_demand && !two_outputs
                             ? util::overlap_existing(output.files, other.files)
                             : util::overlap(output.files, other.files);
      if (!clash) continue;
      ctx.error(output.mark, output.key + ": '" + output.files.spelling() + "' " +
                                 util::overlap_phrase(output.files, other.files) + " " + other.key +
                                 " '" + other.files.spelling() + "'" + position(ctx, other.mark) +
                                 ": " + consequence(other.role) + "; expected a different path" +
                                 (two_outputs ? " for each output" : ""));
    }
  }
}

}  // namespace conveyor::config::pipeline_detail
