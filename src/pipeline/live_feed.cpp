#include "live_feed.hpp"

#include <spdlog/spdlog.h>

namespace conveyor::pipeline {

LiveFeed::LiveFeed(Source& source, int max_in_flight, double pace_fps, std::int64_t max_frames,
                   Callbacks callbacks)
    : source_(source),
      max_in_flight_(max_in_flight),
      pace_fps_(pace_fps),
      max_frames_(max_frames),
      callbacks_(std::move(callbacks)) {}

LiveFeed::~LiveFeed() {
  join();
}

void LiveFeed::start() {
  thread_ = std::thread([this] { capture_loop(); });
}

void LiveFeed::join() {
  if (thread_.joinable()) thread_.join();
}

std::int64_t LiveFeed::captured() const {
  std::lock_guard lock(mutex_);
  return captured_;
}

void LiveFeed::offer(FramePtr frame) {
  FramePtr replaced;
  {
    std::lock_guard lock(mutex_);
    ++captured_;
    frame->sequence = next_sequence_++;
    if (in_flight_ >= max_in_flight_) {
      replaced = std::move(waiting_);
      waiting_ = std::move(frame);
    } else {
      ++in_flight_;
    }
  }
  if (replaced) {
    replaced->drop = DropReason::LiveOverwrite;
    replaced->error = "replaced by a newer frame before processing";
    replaced->image.release();  // a tombstone carries no image
    callbacks_.put(std::move(replaced));
  }
  if (frame) callbacks_.put(std::move(frame));
}

void LiveFeed::frame_done(const Frame& frame) {
  if (frame.drop == DropReason::LiveOverwrite) return;
  FramePtr next;
  {
    std::lock_guard lock(mutex_);
    --in_flight_;
    if (waiting_) {
      next = std::move(waiting_);
      ++in_flight_;
    }
  }
  if (next) callbacks_.put(std::move(next));
}

void LiveFeed::capture_loop() {
  const auto start = Clock::now();
  std::int64_t index = 0;
  while (!callbacks_.stop_requested() && (max_frames_ <= 0 || index < max_frames_)) {
    if (pace_fps_ > 0) {
      const auto due =
          start + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double>(static_cast<double>(index) / pace_fps_));
      std::this_thread::sleep_until(due);
    }
    auto frame = std::make_shared<Frame>();
    ReadStatus status;
    try {
      status = source_.read(frame->image, frame->source_index);
    } catch (const std::exception& error) {
      callbacks_.failed(error.what());
      break;
    }
    if (status == ReadStatus::End) break;
    if (status == ReadStatus::Gap) {
      frame->drop = DropReason::DecodeGap;
      frame->error = "frame could not be decoded";
    }
    frame->captured = Clock::now();
    ++index;
    offer(std::move(frame));
  }
  // A frame still waiting in the slot when capture ends is still fed by frame_done().
  finished_.store(true);
}

}  // namespace conveyor::pipeline
