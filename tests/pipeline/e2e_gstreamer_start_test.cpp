// End to end: a `gstreamer` source that cannot start ends `run` and
// `validate` promptly. A wrong description (unknown element, syntax error,
// unknown property) is exit 3 for both; a pipeline that starts and fails or never
// sends is exit 3 for `run` within the open timeout, and `validate` names the
// reason (the size stays unknown until run time).
#include <opencv2/core/utility.hpp>

#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

std::string gstreamer_pipeline(const std::string& description) {
  return "name: e2e_gst\nsource: { type: gstreamer, pipeline: '" + description +
         "' }\nstages:\n  - { name: s, bank: [{ name: id, kernel: identity }] }\n"
         "sinks:\n  - { type: file, path: out/out.mkv }\nmetrics: { report: out/report.json }\n";
}

// Generous: the open timeout is 10 s and the machine may be loaded.
constexpr std::chrono::milliseconds kBounded = 90s;

// The product's own check of OpenCV's build report (gstreamer_source.cpp).
void skip_without_gstreamer() {
  const std::string info = cv::getBuildInformation();
  const auto key = info.find("GStreamer:");
  if (key == std::string::npos || info.find("YES", key) > info.find('\n', key))
    GTEST_SKIP() << "OpenCV has no GStreamer support";
}

void expect_run_fails(const TempDir& dir, const fs::path& yaml, const std::string& needle) {
  const ProcessResult run = conveyor_in(dir, {"run", yaml.string()}, kBounded);
  EXPECT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 3) << describe(run);
  EXPECT_TRUE(contains(run.err, "conveyor: error: gstreamer pipeline '")) << describe(run);
  EXPECT_TRUE(contains(run.err, needle)) << describe(run);
  EXPECT_FALSE(fs::exists(dir / "out/out.mkv"));
  std::cerr << "  run: " << run.elapsed.count() << " ms\n";  // the timings, in the test log
}

TEST(e2eGStreamerStart, AWrongDescriptionFailsRunAndValidateNamingTheFault) {
  skip_without_gstreamer();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"conveyornosuchelement ! videoconvert ! appsink", "no element \"conveyornosuchelement\""},
      {"videotestsrc ! ! appsink", "syntax error"},
      {"videotestsrc conveyorbogus=1 ! videoconvert ! appsink", "no property \"conveyorbogus\""},
  };
  for (const auto& [description, needle] : cases) {
    SCOPED_TRACE(description);
    TempDir dir;
    const fs::path yaml = dir.write("gst.yaml", gstreamer_pipeline(description));
    const ProcessResult check = conveyor_in(dir, {"validate", yaml.string()}, kBounded);
    EXPECT_FALSE(check.timed_out) << describe(check);
    EXPECT_EQ(check.exit_code, 3) << describe(check);
    EXPECT_TRUE(contains(check.err, needle)) << describe(check);
    expect_run_fails(dir, yaml, needle);
  }
}

TEST(e2eGStreamerStart, APipelineThatFailsOrNeverSendsEndsRunWithinTheOpenTimeout) {
  skip_without_gstreamer();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"filesrc location=/nonexistent/clip.mp4 ! decodebin ! videoconvert ! appsink",
       "element 'filesrc0' failed"},
      {"udpsrc address=127.0.0.1 port=0 ! appsink", "delivered no frame within"},
  };
  for (const auto& [description, needle] : cases) {
    SCOPED_TRACE(description);
    TempDir dir;
    const fs::path yaml = dir.write("gst.yaml", gstreamer_pipeline(description));
    const ProcessResult check = conveyor_in(dir, {"validate", yaml.string()}, kBounded);
    EXPECT_FALSE(check.timed_out) << describe(check);
    EXPECT_EQ(check.exit_code, 0) << describe(check);
    EXPECT_TRUE(contains(check.out, "unknown until run time")) << describe(check);
    EXPECT_TRUE(contains(check.out, needle)) << describe(check);
    expect_run_fails(dir, yaml, needle);
  }
}

}  // namespace
}  // namespace conveyor::testing::e2e
