// End to end through `conveyor run`: inputs that are not videos, a clip cut
// mid-stream, odd frame sizes and a stride that changes the frame size.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/conv/bank.hpp"
#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

// file source -> one stage -> a video and float TIFFs of the stage output.
std::string pipeline_for(const std::string& input, const std::string& filter) {
  return "name: e2e_input\nsource: { type: file, path: '" + input +
         "' }\nstages:\n  - { name: s, bank: [" + filter +
         "] }\nsinks:\n  - { type: file, path: out/out.mkv }\n"
         "  - { type: images, pattern: 'out/map_%03d.tif' }\n"
         "runtime: { threads: 2, mode: throughput }\nmetrics: { report: out/report.json }\n";
}

const std::string kIdentity = "{ name: id, kernel: identity }";

struct BadInput {
  std::string name;
  std::string file;
  void (*make)(const fs::path&);
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const BadInput& value, std::ostream* os) {
  *os << value.name;
}

class e2eBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(e2eBadInput, ExitsThreeNamingThePathAndWritesNothing) {
  const BadInput& bad = GetParam();
  TempDir dir;
  if (bad.make) bad.make(dir / bad.file);
  const fs::path pipeline = dir.write("bad.yaml", pipeline_for(bad.file, kIdentity));
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string()});
  EXPECT_EQ(run.exit_code, 3) << describe(run);
  EXPECT_TRUE(contains(run.err, bad.file)) << describe(run);
  EXPECT_TRUE(contains(run.err, "conveyor: error: ")) << describe(run);
  EXPECT_FALSE(fs::exists(dir / "out/out.mkv"));
  EXPECT_FALSE(fs::exists(dir / "out/map_000.tif"));
  EXPECT_TRUE(partial_files(dir.path()).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, e2eBadInput,
    ::testing::Values(
        BadInput{"Missing", "missing.mkv", nullptr},
        BadInput{"ZeroBytes", "empty.mkv", [](const fs::path& p) { write_zero_byte_file(p); }},
        BadInput{"Directory", "folder.mkv", [](const fs::path& p) { fs::create_directory(p); }},
        BadInput{"RandomBytes", "noise.mkv",
                 [](const fs::path& p) { write_random_bytes(p, 64 * 1024); }},
        BadInput{"Mp4WithoutIndex", "unindexed.mp4",
                 [](const fs::path& p) {
                   if (!write_mp4_without_index(p, 20, {160, 120}))
                     throw std::runtime_error("no mp4v writer for the fixture");
                 }}),
    [](const auto& p) { return p.param.name; });

// Cut at 60 %: the decoder just ends early. Every decodable frame is written,
// the count is compared with the header, and the output plays.
TEST(e2eInputFaults, TruncatedMkvProcessesEveryDecodableFrame) {
  TempDir dir;
  write_ffv1_clip(dir / "full.mkv", 40, {160, 120});
  write_truncated_copy(dir / "full.mkv", dir / "cut.mkv", 0.6);
  const fs::path pipeline = dir.write("cut.yaml", pipeline_for("cut.mkv", kIdentity));
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string()});
  nlohmann::json report = read_json(dir / "out/report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  const auto written = report["frames"]["written"].get<int>();
  EXPECT_GT(written, 10) << describe(run);
  EXPECT_LT(written, 40) << describe(run);
  EXPECT_EQ(run.exit_code, report["exit_code"].get<int>());
  if (report["frames"]["dropped"] == 0) {
    // The stream simply ends: a success, with a warning about the header.
    EXPECT_EQ(run.exit_code, 0) << describe(run);
    // Said once, at the end of the run, not again for every place that knows it.
    const std::string note =
        "stream ended after " + std::to_string(written) + " frames; header said 40";
    const std::size_t first = run.err.find(note);
    EXPECT_NE(first, std::string::npos) << describe(run);
    if (first != std::string::npos) {
      EXPECT_EQ(run.err.find(note, first + 1), std::string::npos) << describe(run);
    }
  } else {
    EXPECT_EQ(run.exit_code, 5) << describe(run);  // decode gaps count as drops
  }
  const std::vector<cv::Mat> frames = read_video(dir / "out/out.mkv");
  EXPECT_EQ(static_cast<int>(frames.size()), written);
  const std::vector<int> indices = frame_indices(frames);
  EXPECT_TRUE(std::is_sorted(indices.begin(), indices.end()));
  if (report["frames"]["dropped"] == 0) {
    EXPECT_EQ(indices, iota_indices(written));
  }
  EXPECT_TRUE(partial_files(dir.path()).empty());
}

// Garbage inside an H.264 stream: the damaged frames are decode gaps, the
// rest is written, and files allow no drops by default (exit 5).
TEST(e2eInputFaults, GarbageInH264CountsDecodeGaps) {
  TempDir dir;
  if (!write_h264_with_garbage(dir / "damaged.mp4")) GTEST_SKIP() << "needs ffmpeg with libx264";
  const fs::path pipeline = dir.write("damaged.yaml", pipeline_for("damaged.mp4", kIdentity));
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string(), "-q"});
  nlohmann::json report = read_json(dir / "out/report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["frames"]["decoded"], 100) << describe(run);
  const auto dropped = report["frames"]["dropped"].get<int>();
  EXPECT_GT(dropped, 0);
  EXPECT_EQ(report["drops"]["decode_gap"], dropped);
  EXPECT_EQ(run.exit_code, 5) << describe(run);
  EXPECT_TRUE(contains(run.err, "decode gap")) << describe(run);
  EXPECT_EQ(static_cast<int>(read_video(dir / "out/out.mkv").size()),
            report["frames"]["written"].get<int>());
}

cv::Mat gray_of(const cv::Mat& bgr) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

// Raw f32 result of stage 0 of `spec` on a gray frame.
cv::Mat engine_map(const config::PipelineSpec& spec, const cv::Mat& gray) {
  const conv::BankPlan plan(spec.stages[0].as<conveyor::config::ConvolveParams>().filters,
                            {gray.cols, gray.rows, 1, conv::PixelType::U8});
  std::vector<conv::FeatureMap> maps;
  plan.run(conv::make_view(gray.ptr<std::uint8_t>(), gray.cols, gray.rows, 1, gray.step[0]), maps);
  return cv::Mat(maps[0].height, maps[0].width, CV_32F, maps[0].data.data()).clone();
}

// Checks the outputs of one run: TIFF maps exact and `map_size`, the video
// padded to even sides with its top-left part equal to the map in 8 bits.
void expect_outputs(const TempDir& dir, const fs::path& pipeline, const std::vector<cv::Mat>& input,
                    cv::Size map_size) {
  const std::vector<cv::Mat> video = read_video(dir / "out/out.mkv");
  ASSERT_EQ(video.size(), input.size());
  const cv::Size even(map_size.width + map_size.width % 2, map_size.height + map_size.height % 2);
  const config::PipelineSpec spec = config::load_pipeline(pipeline);
  for (std::size_t i = 0; i < input.size(); ++i) {
    SCOPED_TRACE("frame " + std::to_string(i));
    const cv::Mat expected = engine_map(spec, gray_of(input[i]));
    ASSERT_EQ(expected.size(), map_size);
    const std::string name = numbered("out/map_", i, ".tif");
    const cv::Mat tif = cv::imread((dir / name).string(), cv::IMREAD_UNCHANGED);
    ASSERT_EQ(tif.size(), map_size) << name;
    ASSERT_EQ(tif.type(), CV_32FC1) << name;
    EXPECT_EQ(cv::norm(tif, expected, cv::NORM_INF), 0.0) << name;
    ASSERT_EQ(video[i].size(), even);
    cv::Mat expected_u8;
    expected.convertTo(expected_u8, CV_8U);
    const cv::Mat shown = gray_of(video[i])(cv::Rect({0, 0}, map_size));
    EXPECT_LE(cv::norm(shown, expected_u8, cv::NORM_INF), 1.0);
  }
}

TEST(e2eInputFaults, OddFrameSizeIsKeptAndPaddedOnlyInTheVideo) {
  TempDir dir;
  const auto input = write_ffv1_clip_cli(dir / "odd.mkv", 8, {641, 481});
  if (input.empty()) GTEST_SKIP() << "the ffmpeg tool is needed for odd-sized clips";
  const fs::path pipeline = dir.write("odd.yaml", pipeline_for("odd.mkv", kIdentity));
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string()});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_TRUE(contains(run.err, "padded")) << describe(run);
  expect_outputs(dir, pipeline, read_video(dir / "odd.mkv"), {641, 481});
}

TEST(e2eInputFaults, StrideTwoOnAnOddSizeGivesTheStridedSize) {
  TempDir dir;
  const auto input = write_ffv1_clip_cli(dir / "odd.mkv", 6, {641, 481});
  if (input.empty()) GTEST_SKIP() << "the ffmpeg tool is needed for odd-sized clips";
  const fs::path pipeline =
      dir.write("stride.yaml", pipeline_for("odd.mkv", "{ name: b, kernel: box, stride: 2 }"));
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string()});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  expect_outputs(dir, pipeline, read_video(dir / "odd.mkv"), {321, 241});  // ceil(n / 2)
}

TEST(e2eInputFaults, StrideTwoHalvesTheOutputFile) {
  TempDir dir;
  write_ffv1_clip(dir / "in.mkv", 6, {160, 120});
  const fs::path pipeline =
      dir.write("stride.yaml", pipeline_for("in.mkv", "{ name: b, kernel: box, stride: [2, 2] }"));
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string()});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  expect_outputs(dir, pipeline, read_video(dir / "in.mkv"), {80, 60});
}

}  // namespace
}  // namespace conveyor::testing::e2e
