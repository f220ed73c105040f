// The first-frame check: a source whose size is only known once it delivers
// (a video file, images) and a first frame that a stage cannot take (a valid
// kernel larger than the frame, one such filter in a bank, a chained stage
// left with nothing after a stride) end the run as a configuration error: exit 2 naming the stage,
// the sizes and the YAML position, no output or temporary left, and the
// report still written.
#include <opencv2/imgcodecs.hpp>

#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

struct TooSmall {
  std::string name;
  std::string stages;    // the YAML `stages:` list
  std::string stage;     // the stage the error must name
  std::string position;  // "pipeline.yaml:<line>:" of the filter
  std::string sizes;     // "31x31 kernel" ...
};

void expect_refused(const TempDir& dir, const std::string& source, const TooSmall& c) {
  SCOPED_TRACE(c.name);
  std::ofstream(dir / "pipeline.yaml")
      << "source: " << source << "\nstages:\n"
      << c.stages
      << "sinks:\n  - {type: file, path: out/edges.mkv}\n"
         "  - {type: images, pattern: \"out/maps_%04d.png\"}\n"
         "metrics: {report: out/report.json, trace: out/trace.csv}\n";
  fs::remove_all(dir / "out");
  const ProcessResult run = conveyor_in(dir, {"run", "pipeline.yaml", "-q"});
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_TRUE(contains(run.err, "too small for stage '" + c.stage + "'")) << describe(run);
  EXPECT_TRUE(contains(run.err, c.position)) << describe(run);
  EXPECT_TRUE(contains(run.err, c.sizes)) << describe(run);
  EXPECT_FALSE(fs::exists(dir / "out" / "edges.mkv"));
  EXPECT_FALSE(fs::exists(dir / "out" / "maps_0000.png"));
  EXPECT_TRUE(partial_files(dir / "out").empty());
  const nlohmann::json report = read_json(dir / "out" / "report.json");
  ASSERT_TRUE(report.is_object()) << "no report";
  EXPECT_EQ(report["exit_code"], 2);
  EXPECT_EQ(report["frames"]["written"], 0);
  EXPECT_TRUE(contains(report["message"].get<std::string>(), c.stage));
}

const std::vector<TooSmall> kCases = {
    {"valid kernel larger than the frame",
     "  - {name: big, bank: [{name: blur, kernel: {box: {size: 31}}, border: valid}]}\n", "big",
     "pipeline.yaml:3:", "31x31 kernel"},
    {"one filter of a bank larger than the frame",
     "  - {name: pair, bank: [{name: gx, kernel: sobel_x}, {name: wide, kernel: {box: {size: "
     "25}}, border: valid}]}\n",
     "pair", "pipeline.yaml:3:", "25x25 kernel"},
    {"second stage left without a map",
     "  - {name: shrink, bank: [{name: s, kernel: box5, stride: 4, border: valid}]}\n"
     "  - {name: after, bank: [{name: t, kernel: {box: {size: 7}}, border: valid}]}\n",
     "after", "pipeline.yaml:4:", "7x7 kernel"},
};

TEST(e2eFirstFrame, VideoTooSmallForAStageIsAConfigurationError) {
  TempDir dir;
  write_ffv1_clip(dir / "tiny.mkv", 4, {16, 16});
  for (const auto& c : kCases) expect_refused(dir, "{type: file, path: tiny.mkv}", c);
}

TEST(e2eFirstFrame, ImagesTooSmallForAStageIsAConfigurationError) {
  TempDir dir;
  for (int i = 0; i < 3; ++i)
    cv::imwrite((dir / ("f_" + std::to_string(i) + ".png")).string(),
                cv::Mat(12, 20, CV_8UC1, cv::Scalar(i * 40)));
  for (const auto& c : kCases) expect_refused(dir, "{type: images, pattern: \"f_%d.png\"}", c);
}

TEST(e2eFirstFrame, AFrameThatFitsStillRuns) {
  TempDir dir;
  write_ffv1_clip(dir / "clip.mkv", 4, {64, 48});
  std::ofstream(dir / "pipeline.yaml")
      << "source: {type: file, path: clip.mkv}\nstages:\n"
      << kCases[0].stages << "sinks: [{type: file, path: out/edges.mkv}]\n";
  const ProcessResult run = conveyor_in(dir, {"run", "pipeline.yaml", "-q"});
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(read_video(dir / "out" / "edges.mkv").size(), 4u);
}

}  // namespace
}  // namespace conveyor::testing::e2e
