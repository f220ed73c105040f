// End to end, in-process: faults during a run. A kernel that throws on one
// frame, and a sink slower than the source (memory and frames in flight must
// stay bounded). Each run has a watchdog: a hang fails instead of stalling.
#include <malloc.h>

#include <algorithm>
#include <atomic>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/pipeline/runner.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

std::string thrower_pipeline(const TempDir& dir, const std::string& extra_runtime) {
  return "name: e2e_thrower\nsource: { type: file, path: '" + (dir / "in.mkv").string() +
         "' }\nstages:\n  - { name: same, bank: [{ name: id, kernel: identity }] }\n"
         "sinks: [{ type: file, path: '" +
         (dir / "out.mkv").string() + "' }]\nruntime: { threads: 2, mode: throughput, " +
         "max_in_flight: 4" + extra_runtime + " }\nmetrics: { report: '" +
         (dir / "report.json").string() + "' }\n";
}

pipeline::RunResult run_with_fault_at(const config::PipelineSpec& spec, std::int64_t bad) {
  HookGuard hook([bad](const std::string&, std::int64_t sequence) {
    if (sequence == bad) throw std::runtime_error("injected kernel fault");
  });
  pipeline::RunOptions options;
  options.quiet = true;
  Watchdog watchdog(std::chrono::seconds(60), "a run with a throwing kernel");
  return pipeline::run_pipeline(spec, options);
}

TEST(e2eRuntimeFaults, KernelThrowingOnOneFrameDropsOnlyThatFrame) {
  TempDir dir;
  write_ffv1_clip(dir / "in.mkv", 12, {160, 120});
  const auto spec = config::load_pipeline_from_string(thrower_pipeline(dir, ""), "thrower.yaml");
  const pipeline::RunResult result = run_with_fault_at(spec, 5);
  // Files allow no drops by default (runtime.max_drop_ratio 0): exit 5.
  EXPECT_EQ(result.exit_code, util::ExitCode::DroppedFrames) << result.message;
  EXPECT_TRUE(contains(result.message, "1 of 12 frames dropped")) << result.message;
  EXPECT_EQ(result.decoded, 12);
  EXPECT_EQ(result.written, 11);
  EXPECT_EQ(result.dropped, 1);

  nlohmann::json report = read_json(dir / "report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["drops"]["filter_error"], 1) << report.dump(2);
  EXPECT_EQ(report["frames"]["dropped"], 1);
  EXPECT_EQ(report["exit_code"], 5);
  // What was written is kept, in order, without the failed frame.
  EXPECT_EQ(frame_indices(read_video(dir / "out.mkv")), iota_indices(12, 5));
}

TEST(e2eRuntimeFaults, ThrowingKernelWithinTheAllowedDropRatioSucceeds) {
  TempDir dir;
  write_ffv1_clip(dir / "in.mkv", 12, {160, 120});
  const auto spec = config::load_pipeline_from_string(
      thrower_pipeline(dir, ", max_drop_ratio: 0.1"), "thrower.yaml");
  const pipeline::RunResult result = run_with_fault_at(spec, 0);  // the very first frame
  EXPECT_EQ(result.exit_code, util::ExitCode::Ok) << result.message;
  EXPECT_EQ(result.written, 11);
  EXPECT_EQ(read_json(dir / "report.json")["drops"]["filter_error"], 1);
  EXPECT_EQ(frame_indices(read_video(dir / "out.mkv")), iota_indices(12, 0));
}

// --- A slow sink ------------------------------------------------------------

struct Probe {
  std::atomic<std::int64_t> written{0};
  std::atomic<std::int64_t> most_in_flight{0};
  std::vector<long> rss_kb;  // resident memory after each frame
  std::atomic<bool> out_of_order{false};
};

// Replaces the null sink: 20 ms per frame, checking order and sampling memory.
class SlowSink final : public pipeline::Sink {
 public:
  explicit SlowSink(Probe& probe) : probe_(probe) {}
  void open(const pipeline::SinkContext&) override {}
  void write(const cv::Mat&, std::int64_t sequence) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (sequence != probe_.written.load()) probe_.out_of_order = true;
    const long rss = rss_kb();
    probe_.rss_kb.push_back(rss);  // write() runs on one thread at a time
    ++probe_.written;
    ++stats_.written;
  }
  void finish() override {}
  void abort() noexcept override {}
  pipeline::SinkStats stats() const override { return stats_; }

 private:
  Probe& probe_;
  pipeline::SinkStats stats_;
};

// A sink type of the test's own, registered as any node file registers one:
// the registry is open. It reaches the test's probe through this pointer.
Probe* slow_probe = nullptr;

const config::RegisterSink kSlowSink(
    {{"test_slow", "a sink that sleeps in write()", {}, "{type: test_slow}"},
     false,
     false,
     false,
     [](config::Context&, config::MapReader&) { return std::make_shared<config::SinkParams>(); },
     [](const config::SinkSpec&) { return std::make_unique<SlowSink>(*slow_probe); },
     {}});

TEST(e2eRuntimeFaults, SlowSinkKeepsFramesInFlightAndMemoryBounded) {
  constexpr int kFrames = 100;
  constexpr int kInFlight = 4;
  // Float maps (no post) of 1280x720: 3.7 MB per frame held, so frames piling
  // up in front of the sink would show as hundreds of MB.
  const auto spec = config::load_pipeline_from_string(
      "name: e2e_slow\nsource: { type: testpattern, width: 1280, height: 720, frames: " +
          std::to_string(kFrames) +
          " }\nstages:\n  - { name: edges, bank: [sobel_x, sobel_y], combine: { op: magnitude } }\n"
          "sinks: [{ type: test_slow }]\nruntime: { threads: 2, mode: throughput, max_in_flight: " +
          std::to_string(kInFlight) + " }\n",
      "slow.yaml");
  Probe probe;
  slow_probe = &probe;
  // A frame reaching the first stage has passed the limiter; one leaving the
  // sink frees a slot only after write() returns. So (sequence + 1) - written
  // never exceeds the true count in flight.
  HookGuard hook([&probe](const std::string&, std::int64_t sequence) {
    const std::int64_t in_flight = sequence + 1 - probe.written.load();
    std::int64_t seen = probe.most_in_flight.load();
    while (in_flight > seen && !probe.most_in_flight.compare_exchange_weak(seen, in_flight)) {
    }
  });
  // Large buffers straight from mmap, so freed frames leave RSS at once and
  // RSS tracks the frames alive (glibc otherwise keeps them in its arenas).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  const long baseline = rss_kb();
  pipeline::RunOptions options;
  options.quiet = true;
  pipeline::RunResult result;
  {
    Watchdog watchdog(std::chrono::seconds(120), "a run with a slow sink");
    result = pipeline::run_pipeline(spec, options);
  }
  ASSERT_EQ(result.exit_code, util::ExitCode::Ok) << result.message;
  EXPECT_EQ(result.written, kFrames);
  EXPECT_EQ(probe.written.load(), kFrames);
  EXPECT_FALSE(probe.out_of_order.load());
  RecordProperty("most_in_flight", static_cast<int>(probe.most_in_flight.load()));
  EXPECT_LE(probe.most_in_flight.load(), kInFlight);
  EXPECT_GE(probe.most_in_flight.load(), 2) << "the source never got ahead of the slow sink";
#ifndef E2E_RSS_INFLATED
  // Frames piling up in front of the sink would cost ~4 MB each (~400 MB);
  // a leak would keep growing after the first frames.
  ASSERT_EQ(probe.rss_kb.size(), static_cast<std::size_t>(kFrames));
  const long peak = *std::max_element(probe.rss_kb.begin(), probe.rss_kb.end());
  const long late_growth = probe.rss_kb.back() - probe.rss_kb[kFrames / 5];
  RecordProperty("rss_growth_kb", static_cast<int>(peak - baseline));
  EXPECT_LT(peak - baseline, 100 * 1024)
      << "resident memory grew by " << (peak - baseline) / 1024 << " MB";
  EXPECT_LT(late_growth, 16 * 1024)
      << "memory still growing after 20 frames: " << late_growth / 1024 << " MB";
#else
  (void)baseline;
#endif
}

}  // namespace
}  // namespace conveyor::testing::e2e
