// The display sink under Xvfb: a paced test pattern runs through a Sobel
// magnitude stage into a window; a screenshot of the screen must show the
// engine's output for one of the pattern's frames, plus the overlay; the `q`
// key (sent with xdotool) must end the run cleanly with a complete report.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "conveyor/conv/bank.hpp"
#include "conveyor/conv/kernel_factory.hpp"
#include "conveyor/pipeline/source.hpp"
#include "pipeline/stage_test_support.hpp"
#include "support/paths.hpp"
#include "support/run_process.hpp"
#include "support/temp_dir.hpp"

namespace conveyor {
namespace {

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

constexpr int kWidth = 320;
constexpr int kHeight = 240;

// What the window should show for the source's next frame: |magnitude| * 0.5 as 8-bit.
cv::Mat expected_frame(pipeline::Source& source, const conv::BankPlan& plan, cv::Mat& frame) {
  std::int64_t index = 0;
  if (source.read(frame, index) != pipeline::ReadStatus::Frame) return {};
  conv::FeatureMap map;
  plan.run_combined(conv::make_view(frame.ptr<std::uint8_t>(), kWidth, kHeight, 1, frame.step[0]),
                    {conv::CombineOp::Magnitude, {}}, map);
  cv::Mat values(kHeight, kWidth, CV_32F, map.data.data());
  cv::Mat out;
  cv::Mat(cv::abs(values)).convertTo(out, CV_8U, 0.5);
  return out;
}

TEST(E2eDisplayXvfb, ShowsTheFilteredFrameAndQuitsCleanlyOnQ) {
  if (!have("xvfb-run") || !have("import") || !have("xdotool")) {
    GTEST_SKIP() << "needs xvfb-run, imagemagick's import and xdotool";
  }
  testing::TempDir dir;
  const auto pipeline = dir.write("live.yaml", R"(name: xvfb
source: { type: testpattern, width: 320, height: 240, fps: 30, frames: 0, pace: realtime }
stages:
  - name: edges
    bank: [{ name: gx, kernel: sobel_x }, { name: gy, kernel: sobel_y }]
    combine: { op: magnitude }
    post: { normalize: abs_scale, scale: 0.5 }
sinks:
  - { type: display, title: Edges, overlay: [fps, latency, drops] }
metrics: { report: report.json }
)");
  // The screenshot waits for the window to be mapped (not a fixed time from
  // the start: a sanitizer build starts several times slower), then lets a
  // few frames be drawn.
  const std::string script =
      std::string("\"") + testing::conveyor_binary() + "\" run live.yaml -q & pid=$!; " +
      "xdotool search --sync --onlyvisible --name Edges >/dev/null; sleep 2; " +
      "import -window root shot.png; xdotool mousemove 10 10 key q; wait $pid; echo \"exit=$?\"";
  testing::ProcessOptions options;
  options.timeout = std::chrono::seconds(120);
  options.working_directory = dir.path();
  testing::ChildProcess child({"xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "sh", "-c", script},
                              options);
  const testing::ProcessResult result = child.wait();
  ASSERT_FALSE(result.timed_out) << result.err;
  EXPECT_NE(result.out.find("exit=0"), std::string::npos) << result.out << result.err;

  const cv::Mat shot = cv::imread((dir.path() / "shot.png").string(), cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(shot.empty()) << "no screenshot";
  // The window sits at the top-left corner (no window manager under Xvfb).
  // Compare the lower half, away from the overlay, with every early frame.
  const cv::Rect region(0, kHeight / 2, kWidth, kHeight / 2);
  auto source = pipeline::make_source(
      testing::source_yaml("{type: testpattern, width: " + std::to_string(kWidth) +
                               ", height: " + std::to_string(kHeight) + ", fps: 30, frames: 400}",
                           config::ColorMode::Gray));
  source->open();
  conv::Filter gx{"gx", conv::sobel_kernel(1, 0, 3)};
  conv::Filter gy{"gy", conv::sobel_kernel(0, 1, 3)};
  const conv::BankPlan plan({gx, gy}, {kWidth, kHeight, 1, conv::PixelType::U8});
  double best = 1e9;
  cv::Mat frame;
  for (int n = 0; n < 400 && best >= 1.0; ++n) {
    const cv::Mat expected = expected_frame(*source, plan, frame);
    ASSERT_FALSE(expected.empty());
    cv::Mat diff;
    cv::absdiff(shot(region), expected(region), diff);
    best = std::min(best, cv::mean(diff)[0]);
  }
  EXPECT_LT(best, 1.0) << "the window does not show the engine's output for any frame";
  // The overlay: bright text on a dark box in the top-left area differs from the frame.
  cv::Mat overlay_area = shot(cv::Rect(0, 0, kWidth, kHeight / 4));
  EXPECT_GT(cv::countNonZero(overlay_area > 200), 50) << "no overlay text visible";

  std::ifstream report_file(dir.path() / "report.json");
  ASSERT_TRUE(report_file.good()) << "no report after q";
  const auto report = nlohmann::json::parse(report_file);
  const auto& frames = report.at("frames");
  EXPECT_GT(frames.at("written").get<int>(), 10);
  EXPECT_TRUE(frames.at("balanced").get<bool>());
  // What a busy machine could not show was overwritten, and that is no failure
  // even with the paced source's max_drop_ratio of 0.
  const auto& drops = report.at("drops");
  EXPECT_EQ(frames.at("dropped").get<int>(), drops.at("live_overwrite").get<int>());
  EXPECT_EQ(report.at("exit_code").get<int>(), 0);
}

}  // namespace
}  // namespace conveyor
