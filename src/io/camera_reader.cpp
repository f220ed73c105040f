// The camera watchdog: deadlines, repeated-frame detection, reconnects.
#include "camera_reader.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>

#include "conveyor/pipeline/errors.hpp"

namespace conveyor::io {
namespace {

using Seconds = std::chrono::duration<double>;

bool grab_once(CameraDevice& device, cv::Mat& image) {
  try {
    return device.grab(image) && !image.empty();
  } catch (const std::exception& error) {
    spdlog::debug("camera {}: read failed: {}", device.name(), error.what());
    image.release();
    return false;
  }
}

}  // namespace

std::string CameraReader::seconds_text() const {
  const double s = policy_.timeout_s;
  if (std::floor(s) == s) return std::to_string(static_cast<long long>(s));
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", s);
  return text;
}

bool CameraReader::sleep_unless_stopped(std::chrono::milliseconds delay) const {
  const auto until = Clock::now() + delay;
  while (!stopped()) {
    const auto now = Clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(
        std::min<Clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
  return false;
}

bool CameraReader::same_as_last(const cv::Mat& image) const {
  if (last_.empty() || last_.size() != image.size() || last_.type() != image.type()) return false;
  if (last_.isContinuous() && image.isContinuous()) {
    return std::memcmp(last_.data, image.data, image.total() * image.elemSize()) == 0;
  }
  return cv::norm(last_, image, cv::NORM_INF) == 0;
}

void CameraReader::open() {
  device_.open();
  opened_ = true;
  const auto start = Clock::now();
  const Seconds timeout(policy_.timeout_s);
  while (!stopped()) {
    const auto before = Clock::now();
    cv::Mat image;
    if (grab_once(device_, image)) {
      first_ = image;
      return;
    }
    const auto now = Clock::now();
    if (now - start >= timeout) {
      device_.close();
      opened_ = false;
      throw pipeline::InputError(
          "camera " + device_.name() + ": opened, but no frame arrived within " + seconds_text() +
          " s; it may be in use by another program (check with `fuser " + device_.name() +
          "`), or need another format (fourcc: MJPG or YUYV); list the cameras with "
          "`ls /dev/video*` and try another index");
    }
    if (now - before < policy_.idle_delay) sleep_unless_stopped(policy_.idle_delay);
  }
}

bool CameraReader::next(cv::Mat& frame) {
  const Seconds timeout(policy_.timeout_s);
  auto waiting_since = Clock::now();
  while (!stopped()) {
    const auto before = Clock::now();
    cv::Mat image;
    bool got = false;
    if (!first_.empty()) {
      image = first_;
      first_.release();
      got = true;
    } else if (opened_) {
      got = grab_once(device_, image);
    }
    const auto now = Clock::now();
    if (got) {
      if (!same_as_last(image)) {
        last_change_ = now;
      } else {
        ++repeated_;
        if (now - last_change_ >= timeout) {
          if (!handle_disconnect("the same frame repeated for " + seconds_text() + " s")) break;
          waiting_since = Clock::now();
          continue;
        }
      }
      if (attempts_ > 0) {
        spdlog::info("camera {}: reconnected after {} attempt(s), frames are back", device_.name(),
                     attempts_);
        attempts_ = 0;
      }
      end_outage(now);
      last_delivered_ = now;
      last_ = image;
      frame = image;
      return true;
    }
    if (now - waiting_since >= timeout) {
      if (!handle_disconnect("no frame for " + seconds_text() + " s")) break;
      waiting_since = Clock::now();
      continue;
    }
    if (now - before < policy_.idle_delay) sleep_unless_stopped(policy_.idle_delay);
  }
  return false;
}

bool CameraReader::handle_disconnect(const std::string& reason) {
  const std::string message = "camera disconnected: " + reason + " from " + device_.name();
  if (!policy_.reconnect) {
    throw pipeline::InputError(message +
                               "; check the cable, or set `reconnect: true` on the source to "
                               "wait for the camera to come back");
  }
  spdlog::warn("{}; reconnecting (reconnect: true)", message);
  if (!outage_start_) {
    outage_start_ = last_delivered_ != Clock::time_point{} ? last_delivered_ : Clock::now();
  }
  device_.close();
  opened_ = false;
  last_.release();
  while (sleep_unless_stopped(policy_.retry_delay)) {
    ++attempts_;
    spdlog::info("camera {}: reconnect attempt {}", device_.name(), attempts_);
    try {
      device_.open();
    } catch (const std::exception& error) {
      spdlog::warn("camera {}: reconnect attempt {} failed: {}", device_.name(), attempts_,
                   error.what());
      continue;
    }
    opened_ = true;
    ++reconnects_;
    last_change_ = Clock::now();
    return true;
  }
  return false;
}

void CameraReader::end_outage(Clock::time_point now) {
  if (!outage_start_) return;
  std::lock_guard lock(outages_mutex_);
  outages_.push_back({*outage_start_, now - *outage_start_});
  outage_start_.reset();
}

std::vector<pipeline::SourceOutage> CameraReader::outages() const {
  std::lock_guard lock(outages_mutex_);
  return outages_;
}

void CameraReader::close() {
  stop();
  end_outage(Clock::now());  // the run ended while the camera was gone
  if (opened_) device_.close();
  opened_ = false;
  first_.release();
  last_.release();
}

}  // namespace conveyor::io
