// End to end: frame count and order are exact for every thread count and
// every number of frames in flight. The clip's frames carry their index in a
// block code (clip_fixtures); an identity stage keeps that code readable.

#include <tbb/task_arena.h>

#include <algorithm>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/pipeline/runner.hpp"
#include "conveyor/pipeline/test_hooks.hpp"
#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

constexpr int kFrames = 24;
const cv::Size kSize(160, 120);

std::string pipeline_text(const TempDir& dir) {
  return "name: e2e_order\n"
         "source: { type: file, path: '" +
         (dir / "in.mkv").string() +
         "' }\n"
         "stages:\n"
         "  - name: same\n"
         "    bank: [{ name: id, kernel: identity }]\n"
         "sinks:\n"
         "  - { type: file, path: '" +
         (dir / "out.mkv").string() +
         "' }\n"
         "runtime: { mode: throughput, max_in_flight: 1 }\n";
}

// Unequal work per frame so frames finish out of order when several are in
// flight: only the sequencer can put them back.
class ShuffleHook {
 public:
  ShuffleHook() {
    pipeline::test_hooks::set_before_stage([](const std::string&, std::int64_t sequence) {
      static const int kDelays[] = {4, 0, 2, 0, 1, 3, 0, 0};
      std::this_thread::sleep_for(std::chrono::milliseconds(kDelays[sequence % 8]));
    });
  }
  ~ShuffleHook() { pipeline::test_hooks::set_before_stage(nullptr); }
  ShuffleHook(const ShuffleHook&) = delete;
  ShuffleHook& operator=(const ShuffleHook&) = delete;
};

class e2eOrder : public ::testing::TestWithParam<int> {};

TEST_P(e2eOrder, EveryFrameOnceAndInOrderForEachMaxInFlight) {
  const int threads = GetParam();
  TempDir dir;
  write_ffv1_clip(dir / "in.mkv", kFrames, kSize);
  config::PipelineSpec spec = config::load_pipeline_from_string(pipeline_text(dir), "order.yaml");
  ShuffleHook shuffle;
  for (int in_flight = 1; in_flight <= 8; ++in_flight) {
    SCOPED_TRACE("threads " + std::to_string(threads) + ", max_in_flight " +
                 std::to_string(in_flight));
    spec.runtime.max_in_flight = in_flight;
    pipeline::RunOptions options;
    options.threads = threads;
    options.quiet = true;
    pipeline::RunResult result;
    {
      Watchdog watchdog(std::chrono::seconds(60), "an ordered run");
      result = pipeline::run_pipeline(spec, options);
    }
    ASSERT_EQ(result.exit_code, util::ExitCode::Ok) << result.message;
    EXPECT_EQ(result.decoded, kFrames);
    EXPECT_EQ(result.written, kFrames);
    EXPECT_EQ(result.dropped, 0);
    EXPECT_EQ(frame_indices(read_video(dir / "out.mkv")), iota_indices(kFrames));
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, e2eOrder, ::testing::Values(1, 2, 4),
                         [](const auto& p) { return "threads" + std::to_string(p.param); });

// The same through the command line, with --threads and a --set override.
TEST(e2eOrderCli, FourThreadsEightInFlight) {
  TempDir dir;
  write_ffv1_clip(dir / "in.mkv", kFrames, kSize);
  const fs::path pipeline = dir.write("order.yaml", pipeline_text(dir));
  const ProcessResult run =
      conveyor_in(dir, {"run", pipeline.string(), "--threads", "4", "--set",
                        "runtime.max_in_flight=8", "--set", "metrics.report=report.json"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(frame_indices(read_video(dir / "out.mkv")), iota_indices(kFrames));
  nlohmann::json report = read_json(dir / "report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["frames"]["written"], kFrames);
  // 4 asked for; the report says how many really ran (no more than the machine allows).
  EXPECT_EQ(report["threads_requested"], 4);
  EXPECT_EQ(report["threads"], std::min(4, tbb::this_task_arena::max_concurrency()));
  EXPECT_EQ(report["max_in_flight"], 8);
}

}  // namespace
}  // namespace conveyor::testing::e2e
