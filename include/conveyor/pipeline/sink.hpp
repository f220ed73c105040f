// Frame sinks: one class per YAML sink type, each in its own file under
// src/sinks that registers a descriptor (config/node_registry.hpp) whose
// traits say what the sink takes (images or not, every view, main thread).
// Sinks are called from one thread at a time, in frame order.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "conveyor/config/pipeline_spec.hpp"

namespace conveyor::pipeline {

// Live figures for overlays, read from the sink's thread.
struct LiveStats {
  double fps = 0;              // over the last frames
  double latency_last_ms = 0;  // capture -> sink completion
  double latency_p50_ms = 0;
  double latency_p99_ms = 0;
  std::int64_t dropped = 0;  // all reasons so far
  std::int64_t decoded = 0;
};

struct SinkContext {
  double fps = 30;                        // the source's frame rate (writers' default)
  std::string pipeline_name;              // for titles and logs
  std::function<LiveStats()> live_stats;  // may be empty
  std::function<void()> request_stop;     // e.g. 'q' in a window: stop like SIGINT
  // What the sink's input is made of: one name for a single map (the map's
  // name, the stage's name for its output, "source"), or the names of every
  // map of a stage that keeps several (its picture is their mosaic; a sink
  // that takes views gets them one by one, under these names).
  std::vector<std::string> input_maps;
};

// A labelled image a sink may show or switch between (display: Tab, 1-9, m).
struct View {
  std::string name;
  cv::Mat image;
};

struct SinkStats {
  std::int64_t written = 0;
  std::int64_t rejected = 0;
  // Frames accepted (in `written`) that the viewer never saw: replaced by a
  // newer one before it was shown, or came while paused or closing. The
  // viewer's own count, not a drop of the frame.
  std::int64_t skipped = 0;
  std::string output;  // final path(s) written, for the summary
  std::string notes;   // e.g. "verified: 300 frames"
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Called before the first frame. Outputs that need the frame size open
  // lazily on the first write. Throws OutputError if the output cannot be made.
  virtual void open(const SinkContext& context) = 0;
  // Writes one image (CV_8UC1, CV_8UC3 or CV_32FC1/3) with the frame's
  // sequence number. Throws OutputError when the frame is refused: the
  // frame is then counted as writer_reject and the run goes on.
  virtual void write(const cv::Mat& image, std::int64_t sequence) = 0;
  // Releases, renames the temporary file into place, reopens and verifies.
  // Throws OutputError if the output is unusable.
  virtual void finish() = 0;
  // Stops without finalizing: removes temporary files, never leaves a
  // partial file at the final path. Must not throw.
  virtual void abort() noexcept = 0;
  virtual SinkStats stats() const = 0;

  // Sinks whose descriptor says takes_views (the user switches between
  // outputs) receive every view of the frame: the sink's own input first,
  // then each feature map of its stage.
  virtual void write_views(const std::vector<View>& views, std::int64_t sequence) {
    write(views.front().image, sequence);
  }
  // Temporary files currently being written.
  // Called from the signal watcher's thread while write() may be running on
  // another: keep the names in a util::SharedPath (or under a lock).
  virtual std::vector<std::string> temporary_files() const { return {}; }
  // The emergency exit (a second signal, a drain past its limit), from the
  // signal watcher's thread: remove the temporary files now and create none
  // after it, though write() may be running. A util::SharedPath does both
  // (create(), abandon()); this default only removes what is listed.
  virtual void abandon_temporaries() noexcept {
    try {
      for (const auto& file : temporary_files()) std::remove(file.c_str());
    } catch (...) {  // an allocation failure: the process ends next anyway
    }
  }
};

// Sinks that must run code on the main thread (HighGUI windows). When a
// pipeline has one, the flow graph runs on another thread and the main thread
// calls pump() until the run ends.
class MainThreadLoop {
 public:
  virtual ~MainThreadLoop() = default;
  // Shows what is pending, handles keys; waits at most `budget`. Returns false
  // once the user asked to quit.
  virtual bool pump(std::chrono::milliseconds budget) = 0;
  // The run is over (or stopping): wake anything waiting in write().
  virtual void release() = 0;
};

// Creates the sink for a spec (does not open it), through its descriptor.
std::unique_ptr<Sink> make_sink(const config::SinkSpec& spec);

}  // namespace conveyor::pipeline
