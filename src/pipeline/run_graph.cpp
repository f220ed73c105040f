// The flow graph of one run:
//   batch: input_node -> limiter -> stage nodes -> sequencer -> sink node
//   live:  capture thread (LiveFeed) -> stage nodes -> sequencer -> sink node
// The sink node frees a limiter (or LiveFeed) slot for every frame it takes.
#include <spdlog/spdlog.h>
#include <tbb/flow_graph.h>

#include <thread>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/test_hooks.hpp"
#include "conveyor/util/rate_limited_log.hpp"
#include "first_frame_check.hpp"
#include "frame_outcome.hpp"
#include "live_feed.hpp"
#include "run_state.hpp"
#include "sink_router.hpp"

namespace conveyor::pipeline {
namespace {

using FramePtr = std::shared_ptr<Frame>;
namespace flow = tbb::flow;
using StageNode = flow::function_node<FramePtr, FramePtr>;

const StageSet& stages_of(const Frame& frame) {
  return *static_cast<const StageSet*>(frame.stage_set.get());
}

void prepare(RunState& state, Frame& frame) {
  const std::size_t stage_count = state.stage_count;
  frame.stage_set = state.current_stages();
  if (!frame.image.empty()) {
    state.frame_width.store(frame.image.cols);
    state.frame_height.store(frame.image.rows);
  }
  frame.stage_times.resize(stage_count);
  frame.stages.resize(stage_count);
  if (!frame.tombstone()) check_first_frame(state, frame);
  // From capture: a live frame's wait in the latest-frame slot for a
  // frame-in-flight slot is queue time of the first stage.
  if (stage_count > 0) frame.stage_times[0].queued = frame.captured;
}

FramePtr run_stage(RunState& state, std::size_t i, FramePtr frame) {
  if (frame->tombstone()) return frame;
  const StageSet& set = stages_of(*frame);
  StageTimes& times = frame->stage_times[i];
  times.started = Clock::now();
  try {
    if (const auto& hook = test_hooks::before_stage()) hook(set.specs[i].name, frame->sequence);
    frame->stages[i] = i == 0 ? set.stages[i]->process(StageOutput{frame->image, {}})
                              : set.stages[i]->process(frame->stages[i - 1]);
  } catch (const std::exception& error) {
    // A failed frame travels on as a tombstone: order and counts hold.
    frame->drop = DropReason::FilterError;
    frame->error = "stage '" + set.specs[i].name + "': " + error.what();
    util::frame_warnings().warn("filter_error in stage '" + set.specs[i].name + "'",
                                "frame " + std::to_string(frame->sequence) + ": " + frame->error);
  }
  times.finished = Clock::now();
  if (i + 1 < state.stage_count) frame->stage_times[i + 1].queued = times.finished;
  return frame;
}

std::vector<View> views_of(const RunState& state, const Frame& frame, std::size_t sink) {
  const config::MapRef& ref = state.spec.sinks[sink].map;
  std::vector<View> views{
      {state.spec.sinks[sink].input, select_image(frame, ref, stages_of(frame).specs)}};
  if (ref.stage >= 0) {
    const auto& stage = stages_of(frame).specs[static_cast<std::size_t>(ref.stage)];
    const auto& images = frame.stages[static_cast<std::size_t>(ref.stage)].maps;
    for (std::size_t m = 0; m < images.size() && m < stage.map_names.size(); ++m) {
      views.push_back({stage.map_names[m], images[m]});
    }
  }
  return views;
}

// A sink that failed for good (its first frame refused, or its storage full,
// read-only or failing) stops the run with one message; the frames still in
// flight are counted as writer_reject against it without writing to it again.
// A sink refusing a frame never keeps the frame from the other sinks.
void sink_failed(RunState& state, Frame& frame, std::size_t s, const std::exception& error) {
  frame.sink_drops[s] = DropReason::WriterReject;
  const std::string message = "sink '" + state.spec.sinks[s].name + "': " + error.what();
  if (frame.error.empty()) frame.error = message;
  const bool persistent = dynamic_cast<const PersistentOutputError*>(&error) != nullptr;
  if (persistent || state.sink_written[s] == 0) {  // the output is unusable
    state.sink_broken[s] = 1;
    state.fatal.set(util::ExitCode::Output, message);
    return;
  }
  util::frame_warnings().warn("writer_reject in sink '" + state.spec.sinks[s].name + "'",
                              "frame " + std::to_string(frame.sequence) + ": " + message);
}

void write_sink(RunState& state, Frame& frame, std::size_t s) {
  Sink& sink = *state.sinks[s];
  const config::SinkDescriptor& node = *state.spec.sinks[s].node;
  if (!node.reads_images) {
    sink.write(cv::Mat(), frame.sequence);
  } else if (node.takes_views) {
    sink.write_views(views_of(state, frame, s), frame.sequence);
  } else {
    sink.write(select_image(frame, state.spec.sinks[s].map, stages_of(frame).specs),
               frame.sequence);
  }
}

// Every sink gets the frame; each outcome is the sink's own (frame.sink_drops).
// A frame any sink refused is dropped as writer_reject (metrics count it
// against that sink only).
void write_sinks(RunState& state, Frame& frame) {
  frame.sink_started = Clock::now();
  if (state.sink_broken.size() != state.sinks.size())
    state.sink_broken.assign(state.sinks.size(), 0);
  frame.sink_drops.assign(state.sinks.size(), DropReason::None);
  for (std::size_t s = 0; s < state.sinks.size(); ++s) {
    if (state.sink_broken[s] != 0) {
      frame.sink_drops[s] = DropReason::WriterReject;
      if (frame.error.empty())
        frame.error = "sink '" + state.spec.sinks[s].name + "' failed earlier";
      continue;
    }
    try {
      write_sink(state, frame, s);
      ++state.sink_written[s];
    } catch (const std::exception& error) {
      sink_failed(state, frame, s, error);
    }
  }
  frame.sink_finished = Clock::now();
  for (const DropReason outcome : frame.sink_drops) {
    if (outcome != DropReason::None) frame.drop = DropReason::WriterReject;
  }
}

}  // namespace

namespace {

// The nodes every run has: stages in sequence, the sequencer that restores
// capture order, the serial sink node, and the limiter of frames in flight.
struct FrameGraph {
  explicit FrameGraph(RunState& state)
      : limiter(graph, static_cast<std::size_t>(state.in_flight)),
        sequencer(graph,
                  [](const FramePtr& frame) { return static_cast<std::size_t>(frame->sequence); }),
        sink_node(graph, flow::serial, [this, &state](FramePtr frame) {
          take(state, *frame);
          return flow::continue_msg{};
        }) {
    for (std::size_t i = 0; i < state.stage_count; ++i) {
      stage_nodes.push_back(std::make_unique<StageNode>(
          graph, flow::unlimited,
          [&state, i](FramePtr frame) { return run_stage(state, i, frame); }));
    }
    for (std::size_t i = 1; i < stage_nodes.size(); ++i)
      flow::make_edge(*stage_nodes[i - 1], *stage_nodes[i]);
    if (!stage_nodes.empty()) flow::make_edge(*stage_nodes.back(), sequencer);
    flow::make_edge(sequencer, sink_node);
  }

  // Where a prepared frame enters: the first stage (or the sequencer).
  flow::receiver<FramePtr>& entry() {
    return stage_nodes.empty() ? static_cast<flow::receiver<FramePtr>&>(sequencer)
                               : *stage_nodes.front();
  }

  // The sink node's work: write, count, free the frame's slot.
  void take(RunState& state, Frame& frame) {
    if (!frame.tombstone()) write_sinks(state, frame);
    {
      std::lock_guard lock(state.live_mutex);
      state.metrics->record(frame_record(frame));
      if (auto failure = state.metrics->take_trace_error())
        state.fatal.set(util::ExitCode::Output, *failure);
    }
    state.progress->update(++done);
    if (feed) feed->frame_done(frame);
  }

  flow::graph graph;
  flow::limiter_node<FramePtr> limiter;
  flow::sequencer_node<FramePtr> sequencer;
  std::vector<std::unique_ptr<StageNode>> stage_nodes;
  flow::function_node<FramePtr, flow::continue_msg> sink_node;
  std::unique_ptr<LiveFeed> feed;  // live runs only
  std::int64_t done = 0;
};

// Live sources (and pacing): a capture thread puts the newest frame into the
// graph whenever a frame-in-flight slot is free (live_feed.hpp).
void run_live(RunState& state, FrameGraph& g) {
  LiveFeed::Callbacks callbacks;
  callbacks.put = [&](FramePtr frame) {
    prepare(state, *frame);
    g.entry().try_put(frame);
  };
  callbacks.stop_requested = [&] { return state.should_stop(); };
  callbacks.failed = [&](const std::string& message) {
    state.fatal.set(util::ExitCode::Input, "reading the source failed: " + message);
  };
  callbacks.stalled = [&](double late_ms, std::int64_t frames) {
    std::lock_guard lock(state.live_mutex);
    state.metrics->record_stall(late_ms, frames);
  };
  g.feed = std::make_unique<LiveFeed>(*state.source, state.in_flight, state.pace_fps,
                                      state.options.max_frames, std::move(callbacks));
  g.graph.reserve_wait();  // the capture thread may still put frames
  g.feed->start();
  // This thread holds one of the arena's slots: it waits in wait_for_all(),
  // which runs graph tasks (the stages' tiles), while a helper watches the
  // capture. A camera that is gone may block in read() (reconnecting):
  // closing the source on a stop is what wakes it, for the source types
  // whose close() may be called from another thread (interruptible).
  std::thread watcher([&] {
    bool closed = !state.spec.source.node->interruptible;
    while (!g.feed->capture_finished()) {
      if (!closed && state.should_stop()) {
        state.source->close();
        closed = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    g.feed->join();
    g.graph.release_wait();
  });
  g.graph.wait_for_all();
  watcher.join();
}

// The next frame of a batch source, or nullptr at the end (or a stop).
FramePtr read_next(RunState& state, std::int64_t& next_sequence) {
  if (state.should_stop() ||
      (state.options.max_frames > 0 && next_sequence >= state.options.max_frames))
    return nullptr;
  auto frame = std::make_shared<Frame>();
  try {
    const ReadStatus status = state.source->read(frame->image, frame->source_index);
    if (status == ReadStatus::End) return nullptr;
    if (status == ReadStatus::Gap) {
      frame->drop = DropReason::DecodeGap;
      frame->error = "frame could not be decoded";
    }
  } catch (const std::exception& error) {
    state.fatal.set(util::ExitCode::Input,
                    std::string("reading the source failed: ") + error.what());
    return nullptr;
  }
  frame->sequence = next_sequence++;
  frame->captured = Clock::now();
  prepare(state, *frame);
  return frame;
}

// Files and other batch sources: the graph pulls frames as slots free up.
void run_batch(RunState& state, FrameGraph& g) {
  std::int64_t next_sequence = 0;
  flow::input_node<FramePtr> source_node(g.graph, [&](tbb::flow_control& control) -> FramePtr {
    FramePtr frame = read_next(state, next_sequence);
    if (!frame) control.stop();
    return frame;
  });
  flow::make_edge(source_node, g.limiter);
  flow::make_edge(g.limiter, g.entry());
  flow::make_edge(g.sink_node, g.limiter.decrementer());
  source_node.activate();
  g.graph.wait_for_all();
}

}  // namespace

void run_graph(RunState& state) {
  FrameGraph graph(state);
  if (state.live)
    run_live(state, graph);
  else
    run_batch(state, graph);
}

}  // namespace conveyor::pipeline
