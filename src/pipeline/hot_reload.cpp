#include "hot_reload.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/config/sink_geometry.hpp"

namespace conveyor::pipeline {
namespace {

struct Stamp {
  std::filesystem::file_time_type time{};
  std::uintmax_t size = 0;
  bool operator==(const Stamp&) const = default;
};

Stamp stamp_of(const std::filesystem::path& file) {
  std::error_code error;
  Stamp stamp;
  stamp.time = std::filesystem::last_write_time(file, error);
  stamp.size = std::filesystem::file_size(file, error);
  return stamp;
}

// Only the banks may change while running: the graph's shape, the source and
// the sinks stay as they are.
std::string incompatibility(const config::PipelineSpec& now, const config::PipelineSpec& next) {
  if (next.stages.size() != now.stages.size()) {
    return "the number of stages changed (" + std::to_string(now.stages.size()) + " -> " +
           std::to_string(next.stages.size()) + ")";
  }
  if (next.sinks.size() != now.sinks.size()) return "the sinks changed";
  for (std::size_t i = 0; i < now.sinks.size(); ++i) {
    if (next.sinks[i].map.stage != now.sinks[i].map.stage ||
        next.sinks[i].map.filter != now.sinks[i].map.filter ||
        next.sinks[i].type != now.sinks[i].type) {
      return "sink '" + now.sinks[i].name + "' changed its type or input";
    }
  }
  if (next.source.type != now.source.type) return "the source type changed";
  return {};
}

// Sinks opened their outputs for the first frame's image: an edit that would
// hand any of them another size, channel count or depth would have every
// later frame refused, so it is refused instead.
std::string sink_change(const config::PipelineSpec& now, const config::PipelineSpec& next,
                        int width, int height) {
  const std::vector<config::SinkInput> before = config::sink_inputs(now, width, height);
  const std::vector<config::SinkInput> after = config::sink_inputs(next, width, height);
  for (std::size_t i = 0; i < before.size() && i < after.size(); ++i) {
    if (before[i] == after[i]) continue;
    return "sink '" + now.sinks[i].name + "' would get " + after[i].str() + " instead of " +
           before[i].str() + "; expected an edit that keeps every sink's input";
  }
  return {};
}

}  // namespace

HotReload::HotReload(RunState& state, std::filesystem::path file,
                     std::vector<std::string> overrides)
    : state_(state), file_(std::move(file)), overrides_(std::move(overrides)) {
  thread_ = std::thread([this] { loop(); });
}

HotReload::~HotReload() {
  running_.store(false);
  if (thread_.joinable()) thread_.join();
}

void HotReload::loop() {
  Stamp last = stamp_of(file_);
  while (running_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const Stamp now = stamp_of(file_);
    if (now == last) continue;
    // Editors write in several steps: wait until the file holds still.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    last = stamp_of(file_);
    reload();
  }
}

void HotReload::reload() {
  try {
    const config::PipelineSpec next = config::load_pipeline(file_, overrides_);
    if (const std::string why = incompatibility(state_.spec, next); !why.empty()) {
      spdlog::error(
          "--watch: {} in {}; only banks can change while running: keeping the "
          "previous banks (restart to apply)",
          why, file_.string());
      return;
    }
    int width = state_.frame_width.load();
    int height = state_.frame_height.load();
    if (width <= 0 || height <= 0) {
      const auto known = state_.spec.source.known_size();
      width = known ? known->width : 0;
      height = known ? known->height : 0;
    }
    if (width > 0 && height > 0) {
      config::check_geometry(next, width, height);
      if (const std::string why = sink_change(state_.spec, next, width, height); !why.empty()) {
        spdlog::error("--watch: invalid edit of {}: {}; keeping the previous banks", file_.string(),
                      why);
        return;
      }
    }
    state_.replace_stages(make_stage_set(next));
    ++reloads_;
    spdlog::warn("--watch: reloaded the banks of {} (from the next frame on)", file_.string());
  } catch (const std::exception& error) {
    spdlog::error("--watch: invalid edit, keeping the previous banks:\n{}", error.what());
  }
}

}  // namespace conveyor::pipeline
