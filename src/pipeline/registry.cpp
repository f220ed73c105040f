// Name -> factory tables for sources and sinks. Stage files register
// themselves; the pipeline library is an OBJECT library, so no registration
// can be dropped by the linker. Types the tool lacks are in the media plugin
// (media_plugin.hpp), loaded when first asked for.
#include <map>
#include <mutex>

#include "conveyor/conv/errors.hpp"
#include "conveyor/pipeline/frame.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/pipeline/source.hpp"

namespace conveyor::pipeline {
namespace {

std::map<config::SourceType, SourceFactory>& source_table() {
  static std::map<config::SourceType, SourceFactory> table;
  return table;
}
std::map<config::SinkType, SinkFactory>& sink_table() {
  static std::map<config::SinkType, SinkFactory> table;
  return table;
}

}  // namespace

void register_source(config::SourceType type, SourceFactory factory) {
  source_table()[type] = std::move(factory);
}

void register_sink(config::SinkType type, SinkFactory factory) {
  sink_table()[type] = std::move(factory);
}

std::unique_ptr<Source> make_source(const config::SourceSpec& spec) {
  if (!source_table().contains(spec.type())) load_media_plugin();
  const auto found = source_table().find(spec.type());
  if (found == source_table().end()) {
    throw conv::ConfigError("source type '" + config::to_string(spec.type()) +
                            "' is not available in this build");
  }
  return found->second(spec);
}

std::unique_ptr<Sink> make_sink(const config::SinkSpec& spec) {
  if (!sink_table().contains(spec.type())) load_media_plugin();
  const auto found = sink_table().find(spec.type());
  if (found == sink_table().end()) {
    throw conv::ConfigError("sink type '" + config::to_string(spec.type()) +
                            "' is not available in this build");
  }
  return found->second(spec);
}

}  // namespace conveyor::pipeline
