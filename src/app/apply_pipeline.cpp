#include "apply_pipeline.hpp"

#include <spdlog/spdlog.h>
#include <tbb/task_arena.h>

#include <memory>

#include "conveyor/config/convolve_spec.hpp"
#include "conveyor/config/errors.hpp"
#include "conveyor/config/node_registry.hpp"
#include "conveyor/conv/errors.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/pipeline/source.hpp"
#include "conveyor/pipeline/stage.hpp"
#include "io/map_files.hpp"
#include "sinks/map_files_sink.hpp"
#include "sources/picture_source.hpp"

namespace conveyor::app {
namespace {

using util::ExitCode;
using util::ExitError;

// Opens the picture and takes its one frame, its channels and values kept.
cv::Mat read_picture(const std::string& path) {
  config::SourceSpec spec;
  spec.type = "picture";
  spec.node = config::find_source(spec.type);
  auto params = std::make_shared<sources::PictureParams>();
  params->path = path;
  params->keep_channels = true;
  spec.params = params;
  const auto source = pipeline::make_source(spec);
  source->open();
  cv::Mat frame;
  std::int64_t index = 0;
  if (source->read(frame, index) != pipeline::ReadStatus::Frame) {
    throw pipeline::InputError("input '" + path + "' gave no picture");
  }
  spdlog::info("input: {}", source->describe());
  return frame;
}

config::StageSpec convolve_spec(const ApplyPlan& plan, int channels) {
  auto params = std::make_shared<config::ConvolveParams>();
  params->color_mode = channels == 1 ? config::ColorMode::Gray : config::ColorMode::Bgr;
  params->filters = plan.filters;
  if (plan.combine) {
    config::CombineSpec combine;
    combine.op = plan.combine->op;
    combine.weights = plan.combine->weights;
    for (std::size_t i = 0; i < plan.filters.size(); ++i) {
      combine.inputs.push_back(plan.filters[i].name);
      combine.input_indices.push_back(static_cast<int>(i));
    }
    params->combine = combine;
  }
  config::StageSpec spec;
  spec.type = "convolve";
  spec.name = "apply";
  spec.node = config::find_stage(spec.type);
  if (spec.node == nullptr) throw config::ConfigError("stage type 'convolve' is not registered");
  spec.color = params->color_mode;
  spec.params = params;
  return spec;
}

// What the stage gives: the combined map, the only filter's, or each filter's.
std::vector<std::string> map_names(const ApplyPlan& plan) {
  if (plan.combine) return {conv::to_string(plan.combine->op)};
  std::vector<std::string> names;
  for (const auto& filter : plan.filters) names.push_back(filter.name);
  return names;
}

// The stage's maps, under map_names().
std::vector<io::NamedMap> filter_picture(const ApplyPlan& plan, const cv::Mat& picture) {
  const config::StageSpec spec = convolve_spec(plan, picture.channels());
  config::StageNeeds needs;
  needs.maps = !plan.combine && plan.filters.size() > 1;  // else the fused single output
  const auto stage = spec.node->make(spec, config::RuntimeSpec{}, needs);
  pipeline::StageOutput result;
  try {
    const auto run = [&] { result = stage->process(pipeline::StageOutput{picture, {}}); };
    if (plan.threads > 0) {
      tbb::task_arena(plan.threads).execute(run);
    } else {
      run();
    }
  } catch (const conv::ConfigError&) {
    throw;  // the picture does not fit a kernel or stride (exit 2)
  } catch (const std::runtime_error& error) {
    throw ExitError(ExitCode::Usage, error.what());  // a map that overflows
  }
  const std::vector<std::string> names = map_names(plan);
  if (names.size() == 1) return {{names.front(), result.output}};
  std::vector<io::NamedMap> maps;
  for (std::size_t i = 0; i < names.size(); ++i) maps.push_back({names[i], result.maps.at(i)});
  return maps;
}

config::SinkSpec sink_spec(const std::string& type,
                           std::shared_ptr<const config::SinkParams> params) {
  config::SinkSpec spec;
  spec.type = type;
  spec.name = type;
  spec.node = config::find_sink(type);
  spec.params = std::move(params);
  return spec;
}

// The views a sink that takes them gets: its input, then each map.
std::vector<pipeline::View> views_of(const std::vector<io::NamedMap>& maps) {
  std::vector<pipeline::View> views{{maps.size() == 1 ? maps.front().name : "apply",
                                     maps.size() == 1 ? maps.front().values : cv::Mat()}};
  for (const auto& map : maps) views.push_back({map.name, map.values});
  return views;
}

}  // namespace

ExitCode run_apply_pipeline(ApplyPlan plan) {
  const cv::Mat picture = read_picture(plan.input);
  std::vector<std::unique_ptr<pipeline::Sink>> sinks;
  std::vector<NamedPath> writes;
  if (plan.print)
    sinks.push_back(
        pipeline::make_sink(sink_spec("print", std::make_shared<config::SinkParams>())));
  if (!plan.output.empty()) {
    auto params = std::make_shared<sinks::MapFilesParams>();
    params->path = plan.output;
    params->to_u8 = plan.to_u8;
    sinks.push_back(pipeline::make_sink(sink_spec("maps", params)));
  }
  pipeline::SinkContext context;
  context.pipeline_name = "apply";
  context.input_maps = map_names(plan);
  // A bad -o (extension, folder) fails here, before any filtering.
  for (auto& sink : sinks) sink->open(context);

  const std::vector<io::NamedMap> maps = filter_picture(plan, picture);
  if (!plan.output.empty()) {
    for (const auto& file : io::plan_map_files(maps, plan.output))
      writes.push_back({"output", file.path.string()});
  }
  refuse_overwrites("apply", plan.reads, writes);
  const std::vector<pipeline::View> views = views_of(maps);
  for (auto& sink : sinks) {
    sink->write_views(views, 0);
    sink->finish();
  }
  return ExitCode::Ok;
}

}  // namespace conveyor::app
