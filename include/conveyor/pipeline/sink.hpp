// Frame sinks: one class per YAML sink type, created through the registry.
// Sinks are called from one thread at a time, in frame order.
#pragma once

#include <functional>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "conveyor/config/pipeline_spec.hpp"

namespace conveyor::pipeline {

struct SinkContext {
  double fps = 30;            // the source's frame rate (writers' default)
  std::string pipeline_name;  // for titles and logs
};

struct SinkStats {
  std::int64_t written = 0;
  std::int64_t rejected = 0;
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
  // Temporary files currently being written (removed by an emergency exit).
  virtual std::vector<std::string> temporary_files() const { return {}; }
};

std::unique_ptr<Sink> make_sink(const config::SinkSpec& spec);

using SinkFactory = std::function<std::unique_ptr<Sink>(const config::SinkSpec&)>;
void register_sink(config::SinkType type, SinkFactory factory);

}  // namespace conveyor::pipeline
