// load_pipeline: text checks, parse, --set overrides, section readers, kernel
// includes, then checks across sections. Each phase reports all its problems
// at once; a later phase only runs on a clean earlier one, so one mistake
// does not cascade into many messages.
#include "conveyor/config/pipeline_loader.hpp"

#include <cstdlib>

#include "conveyor/util/guarded_file.hpp"
#include "pipeline_checks.hpp"
#include "pipeline_paths.hpp"
#include "pipeline_schema.hpp"
#include "pipeline_text.hpp"

namespace conveyor::config {
namespace pipeline_detail {
namespace {

void read_includes(Context& ctx, const Value& value, const std::filesystem::path& base_dir,
                   PipelineSpec& spec, std::vector<Mark>& marks) {
  auto items = read_list(ctx, value, "a list of kernel files, e.g. [my_kernels.yaml]");
  if (!items) return;
  for (const auto& item : *items) {
    std::string text;
    if (!read_string(ctx, item, text, "a kernel file path")) continue;
    std::filesystem::path path(text);
    // Kernel files travel with the pipeline, so they resolve against its folder.
    if (path.is_relative()) path = base_dir / path;
    spec.include_kernels.push_back(path.lexically_normal());
    marks.push_back(item.mark);
  }
}

// The library, and every kernel file it was read from (no output may be one).
KernelLibrary build_library(Context& ctx, const PipelineSpec& spec, const std::vector<Mark>& marks,
                            const KernelLibrary* base, std::vector<KernelFileUse>& files) {
  KernelLibrary library = base != nullptr ? *base : KernelLibrary::load_default();
  const char* env = std::getenv("CONVEYOR_KERNELS");
  for (const auto& file : library.files()) {
    const bool from_env = env != nullptr && *env != '\0' && file == std::filesystem::path(env);
    files.push_back({file, from_env ? "CONVEYOR_KERNELS" : "the kernel library", Mark{}});
  }
  for (std::size_t i = 0; i < spec.include_kernels.size(); ++i) {
    const auto& path = spec.include_kernels[i];
    const std::string key = "include_kernels." + std::to_string(i);
    files.push_back({path, key, marks[i]});
    try {
      library.load_file(path);
    } catch (const ConfigError& e) {
      ctx.error(marks[i], key + ": " + e.what());
    }
  }
  return library;
}

PipelineSpec load_text(std::string_view text, const std::string& file,
                       const std::filesystem::path& pipeline_file,
                       const std::filesystem::path& base_dir,
                       const std::vector<std::string>& overrides, const KernelLibrary* base) {
  check_text(text, file);
  YAML::Node root = parse_document(text, file);
  std::vector<OverrideOrigin> origins;
  for (const auto& override : overrides) {
    std::string value;
    origins.push_back(parse_override(override, file, value));
  }
  apply_overrides_to(root, overrides, file);

  Context ctx(file, origins);
  PipelineSpec spec;
  MapReader top(ctx, Value{root, "", ctx.mark(root, "")}, "a pipeline");
  ctx.throw_if_failed();
  spec.where = top.where();
  if (auto v = top.get("name")) read_string(ctx, *v, spec.name, "a pipeline name");
  if (auto v = top.required("source", "a source, e.g. {type: testpattern}"))
    spec.source = read_source(ctx, *v);
  if (auto v = top.required("stages", "a list of stages, e.g. [{bank: [sobel_x]}]"))
    spec.stages = read_stages(ctx, *v, spec.source.color);
  if (auto v = top.required("sinks", "a list of sinks, e.g. [{type: null}]"))
    spec.sinks = read_sinks(ctx, *v);
  spec.runtime = read_runtime(ctx, top.get("runtime"), spec.source.is_live());
  spec.metrics = read_metrics(ctx, top.get("metrics"));
  std::vector<Mark> include_marks;
  if (auto v = top.get("include_kernels")) read_includes(ctx, *v, base_dir, spec, include_marks);
  top.finish();
  ctx.throw_if_failed();

  std::vector<KernelFileUse> kernel_files;
  const KernelLibrary library = build_library(ctx, spec, include_marks, base, kernel_files);
  ctx.throw_if_failed();
  resolve_stages(ctx, spec, library);
  chain_stages(ctx, spec);
  resolve_sink_inputs(ctx, spec);
  check_path_uses(ctx, collect_path_uses(spec, pipeline_file, kernel_files));
  ctx.throw_if_failed();

  if (const auto size = spec.source.known_size()) {
    check_geometry_into(ctx, spec, size->width, size->height, true);
  } else {
    // Size unknown until the first frame: probe an even and an odd size so a
    // combine that only works for some frame sizes is caught now.
    check_geometry_into(ctx, spec, 640, 480, false);
    if (!ctx.failed()) check_geometry_into(ctx, spec, 641, 481, false);
  }
  ctx.throw_if_failed();
  return spec;
}

}  // namespace
}  // namespace pipeline_detail

PipelineSpec load_pipeline(const std::filesystem::path& path,
                           const std::vector<std::string>& overrides,
                           const KernelLibrary* library) {
  const std::string file = path.string();
  std::string text;
  try {
    text = util::read_regular_file(path, kMaxPipelineBytes, "a pipeline YAML file");
  } catch (const util::FileReadError& e) {
    // "no such file" is what the loader has always said; the rest names the kind of file.
    throw PipelineError(Mark{file}, e.kind() == util::FileReadError::Kind::Missing
                                        ? "no such file; expected a pipeline YAML file"
                                        : e.reason());
  }
  PipelineSpec spec =
      pipeline_detail::load_text(text, file, path, path.parent_path(), overrides, library);
  spec.file = path;
  if (spec.name.empty()) spec.name = path.stem().string();
  return spec;
}

SourceSpec read_source_yaml(std::string_view yaml, const std::string& name_for_errors) {
  pipeline_detail::check_text(yaml, name_for_errors);
  const YAML::Node root = pipeline_detail::parse_document(yaml, name_for_errors);
  pipeline_detail::Context ctx(name_for_errors, {});
  SourceSpec source = pipeline_detail::read_source(ctx, {root, "source", ctx.mark(root, "")});
  ctx.throw_if_failed();
  return source;
}

SinkSpec read_sink_yaml(std::string_view yaml, const std::string& name_for_errors) {
  pipeline_detail::check_text(yaml, name_for_errors);
  YAML::Node list(YAML::NodeType::Sequence);
  list.push_back(pipeline_detail::parse_document(yaml, name_for_errors));
  pipeline_detail::Context ctx(name_for_errors, {});
  std::vector<SinkSpec> sinks = pipeline_detail::read_sinks(ctx, {list, "sinks", Mark{}});
  ctx.throw_if_failed();
  return sinks.front();
}

PipelineSpec load_pipeline_from_string(std::string_view text, const std::string& name_for_errors,
                                       const std::vector<std::string>& overrides,
                                       const KernelLibrary* library) {
  PipelineSpec spec = pipeline_detail::load_text(text, name_for_errors, {}, {}, overrides, library);
  if (spec.name.empty()) spec.name = std::filesystem::path(name_for_errors).stem().string();
  return spec;
}

}  // namespace conveyor::config
