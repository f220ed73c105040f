/* Sink `null`: takes every frame and keeps nothing — for measuring the
 * pipeline's own throughput and latency without I/O.
 *
 * Inputs:  any map.
 * Outputs: none; counts the frames.
 * Parameters: none.
 *
 *   sinks:
 *     - { type: null }
 */
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/sink.hpp"

namespace conveyor::stages {
namespace {

class NullSink final : public pipeline::Sink {
 public:
  void open(const pipeline::SinkContext&) override {}
  void write(const cv::Mat&, std::int64_t) override { ++stats_.written; }
  void finish() override { stats_.notes = std::to_string(stats_.written) + " frames discarded"; }
  void abort() noexcept override {}
  bool reads_images() const override { return false; }
  pipeline::SinkStats stats() const override { return stats_; }

 private:
  pipeline::SinkStats stats_;
};

const struct Registration {
  Registration() {
    pipeline::register_sink(config::SinkType::Null,
                            [](const config::SinkSpec&) { return std::make_unique<NullSink>(); });
  }
} kRegistration;

}  // namespace
}  // namespace conveyor::stages
