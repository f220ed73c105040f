// Feeding live frames into the graph. A dedicated capture thread (never a TBB
// worker: it blocks on the camera) reads the source, optionally paced at the
// source's frame rate. A frame enters the graph at once when fewer than
// `max_in_flight` frames are being processed; otherwise it waits in a
// latest-frame slot, where a newer frame replaces it. So the pipeline always
// works on the newest frame and latency stays bounded when the stages are
// slower than the camera.
//
// Every captured frame gets a sequence number in capture order. A replaced
// frame enters the graph at once as a `live_overwrite` tombstone without its
// image: it takes no slot, and the sequencer, the metrics and the trace see
// every number once, so each captured frame has one outcome and one row.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "conveyor/pipeline/frame.hpp"
#include "conveyor/pipeline/source.hpp"
#include "pace_clock.hpp"

namespace conveyor::pipeline {

class LiveFeed {
 public:
  using FramePtr = std::shared_ptr<Frame>;
  struct Callbacks {
    std::function<void(FramePtr)> put;               // hands a frame (or tombstone) to the graph
    std::function<bool()> stop_requested;            // signal, key, fatal error
    std::function<void(const std::string&)> failed;  // the source threw
    // A paced source fell behind (see PaceClock); may be empty.
    std::function<void(double late_ms, std::int64_t frames)> stalled;
  };

  // `pace_fps` > 0: release frame n no earlier than start + n / fps, and
  // stamp it captured at that instant (as a camera would have). Frames that
  // fell due while the capture thread could not run are superseded by the
  // newest one (PaceClock): a paced source behaves like a live one.
  LiveFeed(Source& source, int max_in_flight, double pace_fps, std::int64_t max_frames,
           Callbacks callbacks);
  ~LiveFeed();

  void start();
  // Called for every frame leaving the graph: a processed frame frees a slot
  // and feeds the waiting frame; an overwrite tombstone held no slot.
  void frame_done(const Frame& frame);
  // Stops capturing and waits for the capture thread.
  void join();
  std::int64_t captured() const;
  bool capture_finished() const { return finished_.load(); }

 private:
  void capture_loop();
  void offer(FramePtr frame);  // under no lock
  // A newer frame exists: a live_overwrite tombstone; false when it already
  // was a tombstone (a decode gap keeps its reason).
  bool supersede(FramePtr frame);
  // Reads the next frame; false at the end of the source or when it threw.
  bool read_frame(Frame& frame);
  bool more(std::int64_t index) const;  // no stop, below max_frames
  // `frame` (number `index`) was read late: reads on to the newest frame due,
  // superseding each one before it; `frame` and `index` become the newest.
  // False when the source ended meanwhile.
  bool catch_up(PaceClock& clock, FramePtr& frame, std::int64_t& index);

  Source& source_;
  int max_in_flight_;
  double pace_fps_;
  std::int64_t max_frames_;
  Callbacks callbacks_;
  mutable std::mutex mutex_;
  FramePtr waiting_;  // the latest-frame slot
  int in_flight_ = 0;
  std::int64_t next_sequence_ = 0;
  std::int64_t captured_ = 0;
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

}  // namespace conveyor::pipeline
