// End to end, in-process: the live drop policy (issue #4). A 60 fps paced
// source feeds a stage made slower than the frame period (25 ms, by the test
// hook). The newest frame must win: memory stays bounded, p99 end-to-end
// latency stays under two frame periods plus the stage time, the frames not
// shown are counted as live_overwrite, and decoded = shown + dropped, in the
// report, the summary and the trace.
#include <malloc.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/metrics/latency_plot.hpp"
#include "conveyor/pipeline/runner.hpp"
#include "pipeline/e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

constexpr double kFps = 60;
constexpr double kPeriodMs = 1000.0 / kFps;
constexpr auto kStageTime = 25ms;  // 1.5 frame periods
constexpr int kFrames = 240;       // 4 s at 60 fps

std::string paced_pipeline(const TempDir& dir) {
  // 1280x720: a frame is 0.9 MB, so overwritten frames kept alive would
  // show in resident memory within a second.
  return "name: e2e_live_drop\n"
         "source: { type: testpattern, width: 1280, height: 720, fps: 60, frames: " +
         std::to_string(kFrames) +
         ", pace: realtime }\n"
         "stages:\n  - { name: slow, bank: [sobel_x, sobel_y], combine: { op: magnitude },"
         " post: { normalize: clamp } }\n"
         "sinks: [{ type: null }]\n"
         "runtime: { threads: 2 }\n"
         "metrics: { report: '" +
         (dir / "report.json").string() + "', trace: '" + (dir / "frames.csv").string() + "' }\n";
}

struct MemorySamples {
  std::mutex mutex;
  std::vector<std::pair<double, long>> at_s_kb;  // (seconds into the run, VmRSS kB)
};

struct LiveRun {
  pipeline::RunResult result;
  nlohmann::json report;
  std::string summary;  // what the run printed on stderr
  std::vector<std::pair<double, long>> memory;
};

LiveRun run_slow_live(const TempDir& dir) {
  const auto spec = config::load_pipeline_from_string(paced_pipeline(dir), "live_drop.yaml");
  MemorySamples memory;
  const auto start = std::chrono::steady_clock::now();
  HookGuard slow([&](const std::string&, std::int64_t) {
    std::this_thread::sleep_for(kStageTime);
    const double at =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::lock_guard lock(memory.mutex);
    memory.at_s_kb.emplace_back(at, rss_kb());
  });
  // Large buffers straight from mmap, so a freed frame leaves RSS at once and
  // RSS tracks the frames alive (glibc otherwise keeps them in its arenas).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  pipeline::RunOptions options;  // not quiet: the summary is checked too
  LiveRun run;
  {
    Watchdog watchdog(60s, "a paced run with a slow stage");
    ::testing::internal::CaptureStderr();
    run.result = pipeline::run_pipeline(spec, options);
    run.summary = ::testing::internal::GetCapturedStderr();
  }
  run.report = read_json(dir / "report.json");
  run.memory = memory.at_s_kb;
  return run;
}

TEST(e2eLiveDrop, SlowStageOnAPacedSourceDropsOldFramesAndKeepsLatencyBounded) {
  TempDir dir;
  const LiveRun run = run_slow_live(dir);
  const nlohmann::json& report = run.report;
  // Overwrites are the live policy, not a failure (max_drop_ratio 0 here).
  ASSERT_EQ(run.result.exit_code, util::ExitCode::Ok) << run.result.message << run.summary;
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_TRUE(report.at("live").get<bool>());

  // Accounting: every frame of the source is decoded once, and each one is
  // either shown or dropped as live_overwrite, nothing else.
  const auto decoded = report["frames"]["decoded"].get<std::int64_t>();
  const auto written = report["frames"]["written"].get<std::int64_t>();
  const auto overwritten = report["drops"]["live_overwrite"].get<std::int64_t>();
  EXPECT_EQ(decoded, kFrames);
  EXPECT_EQ(decoded, written + overwritten) << report.dump(2);
  // A 25 ms stage shows at most 2 of every 3 frames at 60 fps.
  EXPECT_GE(overwritten, kFrames / 4) << report.dump(2);
  EXPECT_GE(written, kFrames / 6) << "the pipeline hardly showed anything";
  RecordProperty("written", static_cast<int>(written));
  RecordProperty("live_overwrite", static_cast<int>(overwritten));

  // Latency: a frame waits at most about one period in the slot (then a newer
  // one replaces it), then takes the stage time. The bound, with the
  // stage time as measured on this machine (the 25 ms plus the convolution).
  const auto& e2e = report["latency_ms"]["end_to_end"];
  const double stage_ms = report["stages"][0]["compute_ms"]["p99"].get<double>();
  const double bound_ms = 2 * kPeriodMs + stage_ms;
  RecordProperty("p99_ms", std::to_string(e2e["p99"].get<double>()));
  RecordProperty("bound_ms", std::to_string(bound_ms));
  EXPECT_GE(stage_ms, 25.0);
  EXPECT_LT(e2e["p99"].get<double>(), bound_ms) << report.dump(2);

  // The summary on stderr says the same: decoded = written + dropped, by reason.
  EXPECT_TRUE(contains(run.summary, "frames: decoded " + std::to_string(decoded) + " = written " +
                                        std::to_string(written) + " + dropped " +
                                        std::to_string(overwritten) + " (live_overwrite " +
                                        std::to_string(overwritten) + ")  [balanced]"))
      << run.summary;

  // The trace has one row per decoded frame, in capture order, with the same
  // outcomes as the report.
  const metrics::Trace trace = metrics::read_trace((dir / "frames.csv").string());
  ASSERT_EQ(static_cast<std::int64_t>(trace.rows.size()), decoded);
  std::map<std::string, std::int64_t> outcomes;
  for (std::size_t i = 0; i < trace.rows.size(); ++i) {
    EXPECT_EQ(trace.rows[i].sequence, static_cast<std::int64_t>(i));
    EXPECT_EQ(trace.rows[i].source_index, static_cast<std::int64_t>(i));
    ++outcomes[trace.rows[i].outcome];
  }
  EXPECT_EQ(outcomes["written"], written);
  EXPECT_EQ(outcomes["live_overwrite"], overwritten);

#ifndef E2E_RSS_INFLATED
  // Memory: what the run holds after its first second is all it ever holds.
  // Keeping the ~80 overwritten frames of the next three seconds alive (or
  // queueing them) would add about 70 MB.
  long first_second_kb = 0, later_kb = 0;
  for (const auto& [at, kb] : run.memory) {
    long& peak = at < 1.0 ? first_second_kb : later_kb;
    peak = std::max(peak, kb);
  }
  ASSERT_GT(first_second_kb, 0);
  ASSERT_GT(later_kb, 0) << "no memory sample after the first second";
  RecordProperty("rss_first_second_kb", static_cast<int>(first_second_kb));
  RecordProperty("rss_peak_later_kb", static_cast<int>(later_kb));
  EXPECT_LT(later_kb - first_second_kb, 16 * 1024)
      << "resident memory grew by " << (later_kb - first_second_kb) / 1024
      << " MB after the first second";
#endif
}

}  // namespace
}  // namespace conveyor::testing::e2e
