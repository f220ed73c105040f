// Which files a pipeline reads and writes, and no output over an input or
// another output (pipeline_paths.hpp).
#include "pipeline_paths.hpp"

#include <utility>

namespace conveyor::config::pipeline_detail {
namespace {

using util::FileSet;

// The images source: a printf pattern, a glob, or one file.
FileSet image_sequence(const std::string& pattern) {
  if (auto numbered = FileSet::numbered(pattern)) return std::move(*numbered);
  if (pattern.find_first_of("*?") != std::string::npos) return FileSet::glob(pattern);
  return FileSet::file(pattern);
}

void add_source(std::vector<PathUse>& uses, const SourceSpec& source) {
  if (const auto* file = std::get_if<FileSource>(&source.params); file && !file->path.empty()) {
    uses.push_back(
        {"source.path", source.where.of("path"), PathRole::Input, FileSet::file(file->path)});
  }
  if (const auto* images = std::get_if<ImagesSource>(&source.params);
      images && !images->pattern.empty()) {
    uses.push_back({"source.pattern", source.where.of("pattern"), PathRole::Input,
                    image_sequence(images->pattern)});
  }
}

void add_sinks(std::vector<PathUse>& uses, const std::vector<SinkSpec>& sinks) {
  bool snapshots = false;
  for (std::size_t i = 0; i < sinks.size(); ++i) {
    const SinkSpec& sink = sinks[i];
    const std::string key = "sinks." + std::to_string(i);
    if (const auto* file = std::get_if<FileSink>(&sink.params)) {
      uses.push_back(
          {key + ".path", sink.where.of("path"), PathRole::Output, FileSet::file(file->path)});
    } else if (const auto* images = std::get_if<ImagesSink>(&sink.params)) {
      auto numbered = FileSet::numbered(images->pattern);
      uses.push_back({key + ".pattern", sink.where.of("pattern"), PathRole::Output,
                      numbered ? std::move(*numbered) : FileSet::file(images->pattern)});
    } else if (sink.type() == SinkType::Display && !snapshots) {
      // The `s` key saves snapshot_<frame>.png in the working directory; every
      // window writes the same names, so they count once.
      snapshots = true;
      uses.push_back({key + " (its snapshots)", sink.where.mark, PathRole::Output,
                      *FileSet::numbered("snapshot_%06d.png"), true});
    }
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
  add_source(uses, spec.source);
  if (!pipeline_file.empty()) {
    uses.push_back({"the pipeline file", Mark{pipeline_file.string()}, PathRole::PipelineFile,
                    FileSet::file(pipeline_file.string())});
  }
  for (const auto& kernel : kernel_files) {
    uses.push_back(
        {kernel.key, kernel.mark, PathRole::KernelFile, FileSet::file(kernel.path.string())});
  }
  add_sinks(uses, spec.sinks);
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
