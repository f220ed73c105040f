// The watchdog around a live camera: waits for the next frame with a deadline,
// recognises a camera that stopped sending (no frame, or the same frame over
// and over, as some backends do after an unplug) and either ends the run with
// "camera disconnected" or reopens the camera until frames come back.
//
// The device itself is behind CameraDevice so that the policy can be tested
// without hardware; the webcam source gives it a V4L2 camera.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "conveyor/pipeline/source.hpp"

namespace conveyor::io {

// One camera that can be opened, read and closed again.
class CameraDevice {
 public:
  virtual ~CameraDevice() = default;
  // Opens (or reopens) the camera; throws pipeline::InputError naming it.
  virtual void open() = 0;
  // Waits a bounded time (about a second at most) for the next frame.
  // False when none arrived in that time or the read failed.
  virtual bool grab(cv::Mat& frame) = 0;
  virtual void close() = 0;
  virtual std::string name() const = 0;  // "/dev/video0", for messages
};

struct CameraPolicy {
  double timeout_s = 5;                         // no (new) frame for this long: disconnected
  bool reconnect = false;                       // reopen instead of throwing
  std::chrono::milliseconds retry_delay{1000};  // pause before each reopen
  std::chrono::milliseconds idle_delay{20};     // pause after a failed grab that returned at once
};

class CameraReader {
 public:
  using Clock = std::chrono::steady_clock;

  CameraReader(CameraDevice& device, CameraPolicy policy) : device_(device), policy_(policy) {}

  // Opens the device and waits for its first frame (within timeout_s).
  // Throws pipeline::InputError when the camera gives nothing.
  void open();
  // The next frame. Throws pipeline::InputError "camera disconnected: ..."
  // when the camera stops (reconnect: false); with reconnect it reopens the
  // camera, logging each attempt, until a frame arrives. False once stop()
  // was called.
  bool next(cv::Mat& frame);
  // From any thread: makes a waiting next() return false (within about a
  // second, the longest a grab blocks).
  void stop() { stop_.store(true); }
  bool stopped() const { return stop_.load(); }
  void close();

  std::int64_t reconnects() const { return reconnects_.load(); }
  std::int64_t repeated_frames() const { return repeated_; }
  // Times the camera gave no frames while it was reconnected: from the last
  // frame before to the first after (or to close()). From any thread.
  std::vector<pipeline::SourceOutage> outages() const;

 private:
  // Throws, or reopens the device; false if stopped meanwhile.
  bool handle_disconnect(const std::string& reason);
  bool same_as_last(const cv::Mat& image) const;
  void end_outage(Clock::time_point now);
  bool sleep_unless_stopped(std::chrono::milliseconds delay) const;
  std::string seconds_text() const;

  CameraDevice& device_;
  CameraPolicy policy_;
  std::atomic<bool> stop_{false};
  bool opened_ = false;
  cv::Mat first_;  // read by open(), delivered by the first next()
  cv::Mat last_;   // the last frame delivered, for the repeated-frame check
  Clock::time_point last_change_{};
  int attempts_ = 0;                         // reopen attempts since the last delivered frame
  std::atomic<std::int64_t> reconnects_{0};  // read by stats() from any thread
  std::int64_t repeated_ = 0;
  Clock::time_point last_delivered_{};
  std::optional<Clock::time_point> outage_start_;  // set while reconnecting
  mutable std::mutex outages_mutex_;
  std::vector<pipeline::SourceOutage> outages_;
};

}  // namespace conveyor::io
