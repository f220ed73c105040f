// End to end: a lossless clip through `conveyor run`, every output frame
// checked against the engine's own result on the decoded input frame.
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/conv/bank.hpp"
#include "conveyor/conv/combine.hpp"
#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

constexpr int kFrames = 12;
const cv::Size kSize(160, 120);

// Stage 1 keeps its maps raw (no post), so the TIFF sink gets gx as f32; a
// post step would apply to every map a sink takes. Stage 2 (identity, exact
// on floats) turns the magnitude into 8-bit with abs_scale for the video.
constexpr const char* kPipeline = R"(name: e2e_correct
source: { type: file, path: in.mkv }
stages:
  - name: edges
    bank:
      - { name: gx, kernel: sobel_x }
      - { name: gy, kernel: sobel_y }
    combine: { op: magnitude }
  - name: picture
    bank: [{ name: id, kernel: identity }]
    post: { normalize: abs_scale, scale: 0.5 }
sinks:
  - { type: file, path: out/edges.mkv }
  - { type: images, input: edges.gx, pattern: out/gx_%03d.tif }
runtime: { threads: 2, mode: throughput, max_in_flight: 4 }
metrics: { report: out/report.json }
)";

cv::Mat as_mat(const conv::FeatureMap& map) {
  return cv::Mat(map.height, map.width, CV_32FC(map.channels), const_cast<float*>(map.data.data()))
      .clone();
}

// post {normalize: abs_scale, scale}: |v| * scale, rounded, saturated to 8 bits.
cv::Mat abs_scale(const cv::Mat& values, double scale) {
  cv::Mat out(values.size(), CV_8U);
  for (int y = 0; y < values.rows; ++y) {
    for (int x = 0; x < values.cols; ++x) {
      const double scaled = std::abs(values.at<float>(y, x)) * scale;
      out.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(std::lround(std::min(255.0, scaled)));
    }
  }
  return out;
}

// What the pipeline computes for one gray frame: raw gx, and the 8-bit picture.
struct Expected {
  cv::Mat gx;       // CV_32F
  cv::Mat picture;  // CV_8U
};

Expected expected_for(const cv::Mat& gray, const config::PipelineSpec& spec) {
  const conv::ImageView view =
      conv::make_view(gray.ptr<std::uint8_t>(), gray.cols, gray.rows, 1, gray.step[0]);
  const conv::BankPlan edges(spec.stages[0].as<conveyor::config::ConvolveParams>().filters,
                             {gray.cols, gray.rows, 1, conv::PixelType::U8});
  std::vector<conv::FeatureMap> maps;
  edges.run(view, maps);
  const conv::FeatureMap magnitude =
      conv::combine_maps({&maps[0], &maps[1]}, {conv::CombineOp::Magnitude, {}});
  const conv::BankPlan identity(spec.stages[1].as<conveyor::config::ConvolveParams>().filters,
                                {magnitude.width, magnitude.height, 1, conv::PixelType::F32});
  std::vector<conv::FeatureMap> same;
  identity.run(magnitude.view(), same);
  return {as_mat(maps[0]), abs_scale(as_mat(same[0]), 0.5)};
}

// The 8-bit picture of a video frame written from a gray map: three equal
// channels, within 1 of `expected` (rounding of the post step).
void expect_picture(const cv::Mat& frame, const cv::Mat& expected) {
  ASSERT_EQ(frame.size(), expected.size());
  ASSERT_EQ(frame.type(), CV_8UC3);
  std::vector<cv::Mat> channels;
  cv::split(frame, channels);
  EXPECT_EQ(cv::norm(channels[0], channels[1], cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(channels[0], channels[2], cv::NORM_INF), 0.0);
  EXPECT_LE(cv::norm(channels[0], expected, cv::NORM_INF), 1.0)
      << "8-bit picture differs by more than 1";
}

TEST(e2eCorrectness, EveryOutputFrameEqualsTheEngineOnTheDecodedInput) {
  TempDir dir;
  write_ffv1_clip(dir / "in.mkv", kFrames, kSize);
  const fs::path pipeline = dir.write("correct.yaml", kPipeline);
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string(), "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);

  const config::PipelineSpec spec = config::load_pipeline(pipeline);
  const std::vector<cv::Mat> inputs = read_video(dir / "in.mkv");
  const std::vector<cv::Mat> outputs = read_video(dir / "out/edges.mkv");
  ASSERT_EQ(inputs.size(), static_cast<std::size_t>(kFrames));
  ASSERT_EQ(outputs.size(), inputs.size()) << describe(run);

  for (std::size_t i = 0; i < inputs.size(); ++i) {
    SCOPED_TRACE("frame " + std::to_string(i));
    cv::Mat gray;
    cv::cvtColor(inputs[i], gray, cv::COLOR_BGR2GRAY);
    const Expected expected = expected_for(gray, spec);

    const std::string name = numbered("out/gx_", i, ".tif");
    const cv::Mat gx = cv::imread((dir / name).string(), cv::IMREAD_UNCHANGED);
    ASSERT_EQ(gx.type(), CV_32FC1) << name;
    ASSERT_EQ(gx.size(), expected.gx.size()) << name;
    EXPECT_EQ(cv::norm(gx, expected.gx, cv::NORM_INF), 0.0) << name << ": float map not exact";

    expect_picture(outputs[i], expected.picture);
  }

  nlohmann::json report = read_json(dir / "out/report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["frames"]["written"], kFrames);
  EXPECT_EQ(report["frames"]["dropped"], 0);
  EXPECT_EQ(report["exit_code"], 0);
  EXPECT_TRUE(partial_files(dir.path()).empty());
}

// One stage as in pipelines/default.yaml: no sink takes a single map, so the
// combine runs fused in the bank's tiles; the picture must not change.
TEST(e2eCorrectness, FusedSobelMagnitudeStageEqualsTheEngine) {
  TempDir dir;
  write_ffv1_clip(dir / "in.mkv", 8, kSize);
  const fs::path pipeline = dir.write("fused.yaml", R"(name: e2e_fused
source: { type: file, path: in.mkv }
stages:
  - name: edges
    bank: [{ name: gx, kernel: sobel_x }, { name: gy, kernel: sobel_y }]
    combine: { op: magnitude }
    post: { normalize: abs_scale, scale: 0.5 }
sinks: [{ type: file, path: out/edges.mkv }]
runtime: { threads: 2, mode: throughput }
)");
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string(), "-q"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  const config::PipelineSpec spec = config::load_pipeline(pipeline);
  const std::vector<cv::Mat> inputs = read_video(dir / "in.mkv");
  const std::vector<cv::Mat> outputs = read_video(dir / "out/edges.mkv");
  ASSERT_EQ(outputs.size(), inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    SCOPED_TRACE("frame " + std::to_string(i));
    cv::Mat gray;
    cv::cvtColor(inputs[i], gray, cv::COLOR_BGR2GRAY);
    const conv::BankPlan plan(spec.stages[0].as<conveyor::config::ConvolveParams>().filters,
                              {gray.cols, gray.rows, 1, conv::PixelType::U8});
    std::vector<conv::FeatureMap> maps;
    plan.run(conv::make_view(gray.ptr<std::uint8_t>(), gray.cols, gray.rows, 1, gray.step[0]),
             maps);
    const conv::FeatureMap magnitude =
        conv::combine_maps({&maps[0], &maps[1]}, {conv::CombineOp::Magnitude, {}});
    expect_picture(outputs[i], abs_scale(as_mat(magnitude), 0.5));
  }
}

}  // namespace
}  // namespace conveyor::testing::e2e
