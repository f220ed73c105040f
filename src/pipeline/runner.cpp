// The flow graph of a run: building it, feeding it, draining it, and turning
// what happened into an exit code, a summary and a report.
#include "conveyor/pipeline/runner.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <tbb/flow_graph.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "conveyor/conv/errors.hpp"
#include "conveyor/metrics/run_metrics.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/shutdown.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/pipeline/source.hpp"
#include "convolve_stage.hpp"
#include "progress.hpp"
#include "sink_router.hpp"

namespace conveyor::pipeline {
namespace {

using FramePtr = std::shared_ptr<Frame>;
namespace flow = tbb::flow;

// The first fatal problem of a run; later ones are only logged.
struct FatalError {
  std::mutex mutex;
  std::atomic<bool> failed{false};  // read by the source without the lock
  util::ExitCode code = util::ExitCode::Ok;
  std::string message;

  void set(util::ExitCode c, const std::string& m) {
    std::lock_guard lock(mutex);
    failed.store(true);
    if (code != util::ExitCode::Ok) {
      spdlog::error("{}", m);
      return;
    }
    code = c;
    message = m;
  }
};

void write_report(const std::string& path, const nlohmann::json& report) {
  const std::filesystem::path final_path(path);
  if (final_path.has_parent_path()) std::filesystem::create_directories(final_path.parent_path());
  const std::filesystem::path temp = final_path.string() + ".partial";
  {
    std::ofstream out(temp);
    out << report.dump(2) << "\n";
    if (!out) throw OutputError("cannot write the report '" + path + "'");
  }
  std::filesystem::rename(temp, final_path);
}

int effective_in_flight(const config::PipelineSpec& spec) {
  const bool mode_written = spec.runtime.where.keys.count("mode") > 0;
  const bool latency =
      mode_written ? spec.runtime.mode == config::RunMode::Latency : spec.source.is_live();
  return latency ? 1 : std::max(1, spec.runtime.max_in_flight);
}

}  // namespace

RunResult run_pipeline(const config::PipelineSpec& spec, const RunOptions& options) {
  Shutdown shutdown;  // first: signals blocked before any worker thread exists
  shutdown.set_drain_timeout(spec.runtime.drain_timeout_s);
  FatalError fatal;
  RunResult result;

  auto source = make_source(spec.source);
  std::vector<std::unique_ptr<Sink>> sinks;
  for (const auto& sink_spec : spec.sinks) sinks.push_back(make_sink(sink_spec));
  std::vector<std::unique_ptr<ConvolveStage>> stages;
  std::vector<std::string> stage_names;
  for (std::size_t i = 0; i < spec.stages.size(); ++i) {
    const bool need_maps = sinks_need_maps(spec.sinks, static_cast<int>(i));
    stages.push_back(
        std::make_unique<ConvolveStage>(spec.stages[i], spec.runtime, need_maps, need_maps));
    stage_names.push_back(spec.stages[i].name);
  }
  shutdown.set_emergency([&sinks] {
    for (auto& sink : sinks) {
      for (const auto& temp : sink->temporary_files()) std::remove(temp.c_str());
    }
  });

  try {
    source->open();
  } catch (const InputError& error) {
    return {util::ExitCode::Input, error.what()};
  }
  const SinkContext context{source->fps(), spec.name};
  try {
    for (auto& sink : sinks) sink->open(context);
  } catch (const OutputError& error) {
    for (auto& sink : sinks) sink->abort();
    return {util::ExitCode::Output, error.what()};
  }

  metrics::RunMetrics metrics(stage_names, spec.metrics.trace);
  std::optional<std::int64_t> expected = source->expected_frames();
  if (options.max_frames > 0) {
    expected = expected ? std::min(*expected, options.max_frames) : options.max_frames;
  }
  Progress progress(expected, options.quiet);
  const int threads = options.threads > 0        ? options.threads
                      : spec.runtime.threads > 0 ? spec.runtime.threads
                                                 : tbb::this_task_arena::max_concurrency();
  const int in_flight = effective_in_flight(spec);
  spdlog::info("running '{}': {} -> {} stage(s) -> {} sink(s), {} thread(s), {} frame(s) in flight",
               spec.name, source->describe(), stages.size(), sinks.size(), threads, in_flight);

  std::int64_t next_sequence = 0;
  std::int64_t done = 0;
  std::vector<std::int64_t> sink_written(sinks.size(), 0);
  metrics.start();

  tbb::task_arena arena(threads);
  arena.execute([&] {
    flow::graph graph;
    flow::input_node<FramePtr> source_node(graph, [&](tbb::flow_control& control) -> FramePtr {
      if (shutdown.stop_requested() || fatal.failed.load() ||
          (options.max_frames > 0 && next_sequence >= options.max_frames)) {
        control.stop();
        return nullptr;
      }
      auto frame = std::make_shared<Frame>();
      frame->sequence = next_sequence;
      try {
        const ReadStatus status = source->read(frame->image, frame->source_index);
        if (status == ReadStatus::End) {
          control.stop();
          return nullptr;
        }
        if (status == ReadStatus::Gap) {
          frame->drop = DropReason::DecodeGap;
          frame->error = "frame could not be decoded";
        }
      } catch (const std::exception& error) {
        fatal.set(util::ExitCode::Input, std::string("reading the source failed: ") + error.what());
        control.stop();
        return nullptr;
      }
      ++next_sequence;
      frame->captured = Clock::now();
      frame->stage_times.resize(stages.size());
      frame->stages.resize(stages.size());
      if (!stages.empty()) frame->stage_times[0].queued = frame->captured;
      return frame;
    });
    flow::limiter_node<FramePtr> limiter(graph, static_cast<std::size_t>(in_flight));
    flow::sequencer_node<FramePtr> sequencer(
        graph, [](const FramePtr& frame) { return static_cast<std::size_t>(frame->sequence); });

    std::vector<std::unique_ptr<flow::function_node<FramePtr, FramePtr>>> stage_nodes;
    for (std::size_t i = 0; i < stages.size(); ++i) {
      stage_nodes.push_back(std::make_unique<flow::function_node<FramePtr, FramePtr>>(
          graph, flow::unlimited, [&, i](FramePtr frame) -> FramePtr {
            if (frame->tombstone()) return frame;
            StageTimes& times = frame->stage_times[i];
            times.started = Clock::now();
            try {
              const cv::Mat& input = i == 0 ? frame->image : frame->stages[i - 1].output;
              frame->stages[i] = stages[i]->process(input);
            } catch (const std::exception& error) {
              // A failed frame travels on as a tombstone: order and counts hold.
              frame->drop = DropReason::FilterError;
              frame->error = "stage '" + stages[i]->spec().name + "': " + error.what();
              spdlog::warn("frame {}: {}", frame->sequence, frame->error);
            }
            times.finished = Clock::now();
            if (i + 1 < stages.size()) frame->stage_times[i + 1].queued = times.finished;
            return frame;
          }));
    }

    flow::function_node<FramePtr, flow::continue_msg> sink_node(
        graph, flow::serial, [&](FramePtr frame) {
          if (!frame->tombstone()) {
            frame->sink_started = Clock::now();
            for (std::size_t s = 0; s < sinks.size() && !frame->tombstone(); ++s) {
              try {
                sinks[s]->write(select_image(*frame, spec.sinks[s].map, spec.stages),
                                frame->sequence);
                ++sink_written[s];
              } catch (const std::exception& error) {
                frame->drop = DropReason::WriterReject;
                frame->error = "sink '" + spec.sinks[s].name + "': " + error.what();
                spdlog::warn("frame {}: {}", frame->sequence, frame->error);
                if (sink_written[s] == 0) {  // never wrote anything: the output is unusable
                  fatal.set(util::ExitCode::Output, frame->error);
                }
              }
            }
            frame->sink_finished = Clock::now();
          }
          metrics.record(*frame);
          progress.update(++done);
          return flow::continue_msg{};
        });

    flow::make_edge(source_node, limiter);
    if (stage_nodes.empty()) {
      flow::make_edge(limiter, sequencer);
    } else {
      flow::make_edge(limiter, *stage_nodes.front());
      for (std::size_t i = 1; i < stage_nodes.size(); ++i) {
        flow::make_edge(*stage_nodes[i - 1], *stage_nodes[i]);
      }
      flow::make_edge(*stage_nodes.back(), sequencer);
    }
    flow::make_edge(sequencer, sink_node);
    flow::make_edge(sink_node, limiter.decrementer());
    source_node.activate();
    graph.wait_for_all();
  });
  metrics.finish();
  progress.finish();

  // Finalize every output, even after a fatal error: what was written is kept.
  std::string outputs;
  for (std::size_t s = 0; s < sinks.size(); ++s) {
    try {
      sinks[s]->finish();
    } catch (const std::exception& error) {
      fatal.set(util::ExitCode::Output, error.what());
    }
    const SinkStats stats = sinks[s]->stats();
    if (!stats.output.empty()) {
      outputs += (outputs.empty() ? "" : ", ") + stats.output;
    }
    if (!stats.notes.empty()) spdlog::info("sink '{}': {}", spec.sinks[s].name, stats.notes);
  }
  shutdown.mark_finished();
  source->close();
  const SourceStats source_stats = source->stats();
  if (!source_stats.notes.empty()) spdlog::warn("source: {}", source_stats.notes);

  result.decoded = metrics.decoded();
  result.written = metrics.written();
  result.dropped = metrics.dropped();
  if (fatal.code != util::ExitCode::Ok) {
    result.exit_code = fatal.code;
    result.message = fatal.message;
  } else if (shutdown.signal() != 0) {
    result.exit_code =
        shutdown.signal() == SIGINT ? util::ExitCode::Interrupted : util::ExitCode::Terminated;
    result.message = "interrupted; outputs finalized";
  } else if (result.decoded > 0 &&
             static_cast<double>(result.dropped) >
                 spec.runtime.max_drop_ratio * static_cast<double>(result.decoded)) {
    result.exit_code = util::ExitCode::DroppedFrames;
    result.message = std::to_string(result.dropped) + " of " + std::to_string(result.decoded) +
                     " frames dropped; runtime.max_drop_ratio allows " +
                     std::to_string(spec.runtime.max_drop_ratio);
  }

  nlohmann::json extra = {
      {"pipeline", spec.name},      {"source", source->describe()},
      {"outputs", outputs},         {"threads", threads},
      {"max_in_flight", in_flight}, {"exit_code", util::exit_status(result.exit_code)}};
  if (!spec.metrics.report.empty()) {
    try {
      write_report(spec.metrics.report, metrics.report(extra));
    } catch (const std::exception& error) {
      if (result.exit_code == util::ExitCode::Ok) {
        result.exit_code = util::ExitCode::Output;
        result.message = error.what();
      }
    }
  }
  if (!options.quiet) {
    std::fprintf(stderr, "%s\n", metrics.summary_text().c_str());
    if (!outputs.empty()) std::fprintf(stderr, "output: %s\n", outputs.c_str());
    if (!spec.metrics.report.empty()) {
      std::fprintf(stderr, "report: %s\n", spec.metrics.report.c_str());
    }
  }
  return result;
}

}  // namespace conveyor::pipeline
