// Frame sources: one class per YAML source type, each in its own file under
// src/sources that registers a descriptor (config/node_registry.hpp).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "conveyor/config/pipeline_spec.hpp"

namespace conveyor::pipeline {

enum class ReadStatus {
  Frame,  // `frame` holds the next frame
  Gap,    // a frame existed but could not be decoded: counted as decode_gap
  End,    // no more frames
};

// A time a live source gave no frames at all (a camera reconnecting): from
// the last frame before it to the first after it (or to the source's close).
struct SourceOutage {
  std::chrono::steady_clock::time_point start{};
  std::chrono::steady_clock::duration length{};
};

struct SourceStats {
  std::int64_t frames = 0;                    // frames delivered
  std::int64_t gaps = 0;                      // Gap results
  std::optional<std::int64_t> header_frames;  // what the container claimed, if anything
  std::string notes;                  // e.g. "stream ended after 97 frames; header said 120"
  std::vector<SourceOutage> outages;  // reported beside the balance (not decoded)
};

class Source {
 public:
  virtual ~Source() = default;
  // Opens the input; throws InputError naming the input and the reason.
  virtual void open() = 0;
  // Reads the next frame, converted to the spec's colour (CV_8UC1 gray or
  // CV_8UC3 BGR). `source_index` is the frame's number in the source.
  virtual ReadStatus read(cv::Mat& frame, std::int64_t& source_index) = 0;
  // Frames expected in total when known (test pattern, file range), for progress.
  virtual std::optional<std::int64_t> expected_frames() const { return std::nullopt; }
  // Frame rate to use for pacing and writers: a sane value, never 0.
  virtual double fps() const = 0;
  virtual SourceStats stats() const = 0;
  virtual std::string describe() const = 0;  // e.g. "file clip.mkv (FFmpeg)"
  virtual void close() {}
};

// Creates the source for a spec (does not open it), through its descriptor.
std::unique_ptr<Source> make_source(const config::SourceSpec& spec);

}  // namespace conveyor::pipeline
