// Name -> descriptor tables (node_registry.hpp). Node files register from
// static objects; the pipeline library is an OBJECT library, so no
// registration is dropped by the linker.
#include "conveyor/config/node_registry.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <mutex>

namespace conveyor::config {
namespace {

template <class Descriptor>
using Table = std::map<std::string, Descriptor>;

Table<SourceDescriptor>& source_table() {
  static Table<SourceDescriptor> table;
  return table;
}
Table<StageDescriptor>& stage_table() {
  static Table<StageDescriptor> table;
  return table;
}
Table<SinkDescriptor>& sink_table() {
  static Table<SinkDescriptor> table;
  return table;
}

std::function<void()>& plugin_loader() {
  static std::function<void()> loader;
  return loader;
}

std::string& plugin_failure() {
  static std::string failure;
  return failure;
}

// The plugin is loaded at most once, whatever the outcome.
void load_plugin_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!plugin_loader()) return;
    try {
      plugin_loader()();
    } catch (const std::exception& error) {
      plugin_failure() = error.what();
      spdlog::debug("media plugin not loaded: {}", error.what());
    }
  });
}

template <class Descriptor>
const Descriptor* find_in(const Table<Descriptor>& table, const std::string& type) {
  auto found = table.find(type);
  if (found == table.end()) {
    load_plugin_once();
    found = table.find(type);
  }
  return found == table.end() ? nullptr : &found->second;
}

template <class Descriptor>
std::vector<const Descriptor*> all_in(const Table<Descriptor>& table) {
  load_plugin_once();
  std::vector<const Descriptor*> all;
  for (const auto& [name, descriptor] : table) all.push_back(&descriptor);
  return all;
}

template <class Descriptor>
std::vector<std::string> names_in(const Table<Descriptor>& table) {
  std::vector<std::string> names;
  for (const auto* descriptor : all_in(table)) names.push_back(descriptor->doc.type);
  return names;
}

}  // namespace

void register_source(SourceDescriptor descriptor) {
  const std::string type = descriptor.doc.type;
  source_table().insert_or_assign(type, std::move(descriptor));
}

void register_stage(StageDescriptor descriptor) {
  const std::string type = descriptor.doc.type;
  stage_table().insert_or_assign(type, std::move(descriptor));
}

void register_sink(SinkDescriptor descriptor) {
  const std::string type = descriptor.doc.type;
  sink_table().insert_or_assign(type, std::move(descriptor));
}

const SourceDescriptor* find_source(const std::string& type) {
  return find_in(source_table(), type);
}
const StageDescriptor* find_stage(const std::string& type) {
  return find_in(stage_table(), type);
}
const SinkDescriptor* find_sink(const std::string& type) {
  return find_in(sink_table(), type);
}
std::vector<const SourceDescriptor*> all_sources() {
  return all_in(source_table());
}
std::vector<const StageDescriptor*> all_stages() {
  return all_in(stage_table());
}
std::vector<const SinkDescriptor*> all_sinks() {
  return all_in(sink_table());
}
std::vector<std::string> source_names() {
  return names_in(source_table());
}
std::vector<std::string> stage_names() {
  return names_in(stage_table());
}
std::vector<std::string> sink_names() {
  return names_in(sink_table());
}

void set_plugin_loader(std::function<void()> loader) {
  plugin_loader() = std::move(loader);
}

std::string plugin_problem() {
  return plugin_failure();
}

}  // namespace conveyor::config
