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
#include "conveyor/config/node_registry.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/sink.hpp"

namespace conveyor::sinks {
namespace {

class NullSink final : public pipeline::Sink {
 public:
  void open(const pipeline::SinkContext&) override {}
  void write(const cv::Mat&, std::int64_t) override { ++stats_.written; }
  void finish() override { stats_.notes = std::to_string(stats_.written) + " frames discarded"; }
  void abort() noexcept override {}
  pipeline::SinkStats stats() const override { return stats_; }

 private:
  pipeline::SinkStats stats_;
};

const config::RegisterSink kRegistration(
    {{"null",
      "takes every frame and keeps nothing: the pipeline's own speed, without I/O",
      {},
      "{type: null}"},
     false,
     false,
     false,
     [](config::Context&, config::MapReader&) { return std::make_shared<config::SinkParams>(); },
     [](const config::SinkSpec&) { return std::make_unique<NullSink>(); },
     {}});

}  // namespace
}  // namespace conveyor::sinks
