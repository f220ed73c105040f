#include "live_feed.hpp"

#include <spdlog/spdlog.h>

#include <optional>

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

bool LiveFeed::supersede(FramePtr frame) {
  {
    std::lock_guard lock(mutex_);
    ++captured_;
    frame->sequence = next_sequence_++;
  }
  const bool overwritten = !frame->tombstone();  // a decode gap keeps its own reason
  if (overwritten) {
    frame->drop = DropReason::LiveOverwrite;
    frame->error = "superseded by a newer frame that was already due";
  }
  frame->image.release();
  callbacks_.put(std::move(frame));
  return overwritten;
}

bool LiveFeed::read_frame(Frame& frame) {
  ReadStatus status;
  try {
    status = source_.read(frame.image, frame.source_index);
  } catch (const std::exception& error) {
    callbacks_.failed(error.what());
    return false;
  }
  if (status == ReadStatus::End) return false;
  if (status == ReadStatus::Gap) {
    frame.drop = DropReason::DecodeGap;
    frame.error = "frame could not be decoded";
  }
  return true;
}

bool LiveFeed::more(std::int64_t index) const {
  return !callbacks_.stop_requested() && (max_frames_ <= 0 || index < max_frames_);
}

bool LiveFeed::catch_up(PaceClock& clock, FramePtr& frame, std::int64_t& index) {
  const auto now = Clock::now();
  const std::int64_t newest = clock.newest_due(index, now);
  const double late_ms = std::chrono::duration<double, std::milli>(now - frame->captured).count();
  std::int64_t superseded = 0;
  bool going = true;
  while (index < newest && more(index + 1)) {
    auto next = std::make_shared<Frame>();
    if (!read_frame(*next)) {
      going = false;  // nothing newer: `frame` goes on
      break;
    }
    next->captured = clock.due(index + 1);
    superseded += supersede(std::move(frame)) ? 1 : 0;
    frame = std::move(next);
    ++index;
  }
  if (superseded > 0) clock.stalled(late_ms, superseded);
  clock.restart_if_late(index, Clock::now());
  return going;
}

void LiveFeed::capture_loop() {
  std::optional<PaceClock> clock;
  if (pace_fps_ > 0) clock.emplace(pace_fps_, Clock::now(), callbacks_.stalled);
  for (std::int64_t index = 0; more(index); ++index) {
    if (clock) clock->sleep_until_due(index);
    const auto wake = Clock::now();
    auto frame = std::make_shared<Frame>();
    if (!read_frame(*frame)) break;
    const auto now = Clock::now();
    frame->captured = clock ? clock->due(index) : now;
    bool going = true;
    if (clock && !clock->late(index, now)) {
      clock->read_took(wake, now);
    } else if (clock && clock->stalled_or_slow(index, wake, now)) {
      going = catch_up(*clock, frame, index);
    }
    offer(std::move(frame));
    if (!going) break;
  }
  // A frame still waiting in the slot when capture ends is still fed by frame_done().
  finished_.store(true);
}

}  // namespace conveyor::pipeline
