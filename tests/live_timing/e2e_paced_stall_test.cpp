// End to end: a paced source (`pace: realtime`) whose process is stopped and
// continued (SIGSTOP / SIGCONT, as a stalled machine would do). The frames that
// fell due during the stop must not all be released at once: the newest wins,
// the ones before it are counted as live_overwrite, every frame still has one
// outcome (decoded = written + dropped), and the stall shows in the report
// (source_stalls), the summary and a warning. Checked for a test pattern and a
// video file, both paced at their fps. No timing bound beyond "the stall was
// noticed": the stop lasts 1.5 s, the test asks for a stall of at least 0.5 s.
#include <signal.h>

#include "conveyor/metrics/latency_plot.hpp"
#include "pipeline/e2e_support.hpp"
#include "support/paths.hpp"

namespace conveyor::testing::e2e {
namespace {

struct PacedSource {
  std::string name;
  std::string yaml;  // the source mapping
};

void PrintTo(const PacedSource& source, std::ostream* os) {
  *os << source.name;
}

std::string paced_pipeline(const std::string& source) {
  return "name: paced_stall\nsource: " + source +
         "\nstages:\n  - { bank: [sobel_x, sobel_y], combine: { op: magnitude } }\n"
         "sinks: [{ type: file, path: out/out.mkv }]\n"
         "metrics: { report: out/report.json, trace: out/frames.csv }\n";
}

class e2ePacedStall : public ::testing::TestWithParam<PacedSource> {};

TEST_P(e2ePacedStall, NewestFrameWinsAndTheStallIsReported) {
  TempDir dir;
  if (GetParam().name == "file") {
    write_ffv1_clip(dir.path() / "clip.mkv", 120, cv::Size(320, 240), 30);
  }
  const fs::path pipeline = dir.write("paced.yaml", paced_pipeline(GetParam().yaml));
  ProcessOptions options;
  options.unset_env = {"CONVEYOR_KERNELS"};
  options.working_directory = dir.path();
  options.timeout = std::chrono::seconds(90);
  ChildProcess child({conveyor_binary(), "run", pipeline.string(), "--log-level", "info"}, options);
  ASSERT_TRUE(child.wait_for_output("running 'paced_stall'", 30s)) << child.stderr_so_far();
  std::this_thread::sleep_for(700ms);  // frames are flowing at 30 fps
  child.send_signal(SIGSTOP);
  std::this_thread::sleep_for(1500ms);
  child.send_signal(SIGCONT);
  const ProcessResult run = child.wait();
  ASSERT_EQ(run.exit_code, 0) << describe(run);  // live_overwrite never fails a run

  const nlohmann::json report = read_json(dir.path() / "out/report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["frames"]["decoded"], 120) << report.dump(2);
  const auto overwritten = report["drops"]["live_overwrite"].get<std::int64_t>();
  const auto& stalls = report.at("source_stalls");
  // 1.5 s at 30 fps is about 45 frames; ask for far fewer.
  EXPECT_GE(overwritten, 10) << report.dump(2);
  EXPECT_GE(stalls.at("count").get<std::int64_t>(), 1) << report.dump(2);
  EXPECT_GE(stalls.at("max_ms").get<double>(), 500.0) << report.dump(2);
  EXPECT_GE(stalls.at("frames").get<std::int64_t>(), 10) << report.dump(2);
  EXPECT_LE(stalls.at("frames").get<std::int64_t>(), overwritten) << report.dump(2);
  EXPECT_TRUE(contains(run.err, "behind its 30 fps schedule")) << describe(run);
  EXPECT_TRUE(contains(run.err, "stalls: the paced source fell behind")) << describe(run);

  // `conveyor report` shows the stall too.
  const ProcessResult summary = conveyor_in(dir, {"report", "out/report.json"});
  EXPECT_EQ(summary.exit_code, 0) << describe(summary);
  EXPECT_TRUE(contains(summary.out, "stalls: the paced source fell behind")) << describe(summary);

  // The trace has a row for every frame, superseded ones too, in order.
  const metrics::Trace trace = metrics::read_trace((dir.path() / "out/frames.csv").string());
  ASSERT_EQ(trace.rows.size(), 120u);
  std::int64_t overwrite_rows = 0;
  for (std::size_t i = 0; i < trace.rows.size(); ++i) {
    EXPECT_EQ(trace.rows[i].sequence, static_cast<std::int64_t>(i));
    overwrite_rows += trace.rows[i].outcome == "live_overwrite" ? 1 : 0;
  }
  EXPECT_EQ(overwrite_rows, overwritten);
  // The video holds the frames written, nothing more.
  EXPECT_EQ(static_cast<std::int64_t>(read_video(dir.path() / "out/out.mkv").size()),
            report["frames"]["written"].get<std::int64_t>());
}

// A source slower than its own fps (4K noise asked at 100 fps: each frame takes
// far longer than 10 ms to make) is not stalled: it delivers its frames at its
// own rate instead of superseding most of them.
TEST(e2ePacedSlowSource, DeliversItsFramesAtItsOwnRate) {
  TempDir dir;
  // The stages are cheap (one tap, stride 16): only the source is slow.
  const fs::path pipeline = dir.write(
      "slow.yaml",
      "name: slow\nsource: { type: testpattern, width: 3840, height: 2160, fps: 100, "
      "frames: 24, pattern: noise, pace: realtime }\n"
      "stages: [{ bank: [{ name: one, weights: [[1]], stride: 16 }] }]\nsinks: [{ type: null }]\n"
      "metrics: { report: out/report.json }\n");
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string(), "-q"}, 120s);
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  const nlohmann::json report = read_json(dir.path() / "out/report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["frames"]["decoded"], 24) << report.dump(2);
  // Generous: a loaded machine may still stall now and then.
  EXPECT_GE(report["frames"]["written"].get<int>(), 18) << report.dump(2);
  EXPECT_LE(report["source_stalls"]["frames"].get<int>(), 6) << report.dump(2);
}

INSTANTIATE_TEST_SUITE_P(
    Sources, e2ePacedStall,
    ::testing::Values(PacedSource{"testpattern",
                                  "{ type: testpattern, width: 320, height: 240, fps: 30, "
                                  "frames: 120, pace: realtime }"},
                      PacedSource{"file", "{ type: file, path: clip.mkv, pace: realtime }"}),
    [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace conveyor::testing::e2e
