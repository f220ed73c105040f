// Sources and sinks are made through their descriptors (config/node_registry.hpp);
// the media plugin is the registry's fallback for types the tool lacks.
#include "conveyor/config/errors.hpp"
#include "conveyor/config/node_registry.hpp"
#include "conveyor/pipeline/frame.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/pipeline/source.hpp"

namespace conveyor::pipeline {
namespace {

[[maybe_unused]] const bool kPluginFallback = (config::set_plugin_loader(load_media_plugin), true);

}  // namespace

std::unique_ptr<Source> make_source(const config::SourceSpec& spec) {
  if (spec.node == nullptr || !spec.node->make)
    throw config::ConfigError("source type '" + spec.type + "' is not available in this build");
  return spec.node->make(spec);
}

std::unique_ptr<Sink> make_sink(const config::SinkSpec& spec) {
  if (spec.node == nullptr || !spec.node->make)
    throw config::ConfigError("sink type '" + spec.type + "' is not available in this build");
  return spec.node->make(spec);
}

}  // namespace conveyor::pipeline
