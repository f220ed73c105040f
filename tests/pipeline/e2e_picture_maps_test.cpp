// The `picture` source and the `maps` and `print` sinks, the nodes
// `conveyor apply` is built of: a pipeline file naming them gives what apply
// gives, byte for byte, and they keep their one-frame contract in a stream.
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "conveyor/util/temp_names.hpp"
#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

// The classic lesson: a 7x7 picture with negative and fractional values, so
// nothing that turns the frame 8-bit can pass.
const std::string kMatrix =
    "1 1 1 0 0 0 0\n0 1 1 1 0 0 0\n0 0 -1 1 1 0 0\n0 0 0 1 1.5 1 0\n"
    "0 0 0 1 1 0 0\n0 0 1 1 0 0 0\n0 1 1 0 0 0 300\n";

std::string bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string lesson_pipeline(const std::string& bank, const std::string& sinks) {
  return "source: {type: picture, path: m.txt}\nstages:\n  - {name: s, border: valid, bank: " +
         bank + "}\nsinks:\n" + sinks + "metrics: {report: report.json}\n";
}

TEST(e2ePictureMaps, APipelineOfApplysNodesPrintsAndWritesWhatApplyDoes) {
  TempDir dir;
  dir.write("m.txt", kMatrix);
  dir.write("lesson.yaml",
            lesson_pipeline("[{name: d, weights: [[0, 0, 1], [1, 0, 0], [0, 1, 1]]}]",
                            "  - {type: print}\n  - {type: maps, path: run.csv}\n"
                            "  - {type: maps, path: run.tif}\n"));
  const ProcessResult run = conveyor_in(dir, {"run", "lesson.yaml"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  const ProcessResult apply =
      conveyor_in(dir, {"apply", "--border", "valid", "--print", "-k", "[[0,0,1],[1,0,0],[0,1,1]]",
                        "m.txt", "-o", "apply.csv"});
  ASSERT_EQ(apply.exit_code, 0) << describe(apply);
  ASSERT_EQ(conveyor_in(dir, {"apply", "--border", "valid", "-k", "[[0,0,1],[1,0,0],[0,1,1]]",
                              "m.txt", "-o", "apply.tif"})
                .exit_code,
            0);
  EXPECT_EQ(run.out, apply.out);
  EXPECT_TRUE(contains(run.out, "\n-1 2 3 2 1.5\n")) << run.out;  // -1 and 1.5 kept
  EXPECT_EQ(bytes_of(dir / "run.csv"), bytes_of(dir / "apply.csv"));
  EXPECT_EQ(bytes_of(dir / "run.tif"), bytes_of(dir / "apply.tif"));
  const cv::Mat values = cv::imread((dir / "run.tif").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(values.type(), CV_32FC1);
  EXPECT_FLOAT_EQ(values.at<float>(4, 4), 300.0f);  // beyond 8 bits: the value itself
  const nlohmann::json report = read_json(dir / "report.json");
  expect_balanced(report);
  EXPECT_EQ(report["frames"]["written"], 1);
}

TEST(e2ePictureMaps, SeveralMapsGiveOneFileEachNamedAsApplyNamesThem) {
  TempDir dir;
  dir.write("m.txt", kMatrix);
  dir.write("two.yaml", lesson_pipeline("[sobel_x, laplacian]",
                                        "  - {type: maps, path: run.png, to_u8: abs_scale}\n"
                                        "  - {type: print}\n"));
  const ProcessResult run = conveyor_in(dir, {"run", "two.yaml"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  const ProcessResult apply =
      conveyor_in(dir, {"apply", "--border", "valid", "--to-u8", "abs_scale", "--print", "-k",
                        "sobel_x", "-k", "laplacian", "m.txt", "-o", "apply.png"});
  ASSERT_EQ(apply.exit_code, 0) << describe(apply);
  EXPECT_EQ(run.out, apply.out);
  EXPECT_TRUE(contains(run.out, "# sobel_x 5x5\n")) << run.out;
  for (const std::string name : {"sobel_x", "laplacian"}) {
    ASSERT_TRUE(fs::exists(dir / ("run_" + name + ".png"))) << name;
    EXPECT_EQ(bytes_of(dir / ("run_" + name + ".png")), bytes_of(dir / ("apply_" + name + ".png")))
        << name;
  }
  EXPECT_FALSE(fs::exists(dir / "run.png")) << "several maps: no file under the bare name";
}

TEST(e2ePictureMaps, AColourPictureGivesATextFilePerChannel) {
  TempDir dir;
  cv::Mat picture(9, 11, CV_8UC3);
  cv::randu(picture, 0, 256);
  ASSERT_TRUE(cv::imwrite((dir / "p.png").string(), picture));
  dir.write("colour.yaml",
            "source: {type: picture, path: p.png, color: bgr}\n"
            "stages: [{name: s, bank: [sharpen]}]\nsinks: [{type: maps, path: run.txt}]\n");
  const ProcessResult run = conveyor_in(dir, {"run", "colour.yaml"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  ASSERT_EQ(conveyor_in(dir, {"apply", "-k", "sharpen", "p.png", "-o", "apply.txt"}).exit_code, 0);
  for (const std::string channel : {"b", "g", "r"}) {
    const std::string name = "_sharpen_" + channel + ".txt";
    ASSERT_TRUE(fs::exists(dir / ("run" + name))) << name;
    EXPECT_EQ(bytes_of(dir / ("run" + name)), bytes_of(dir / ("apply" + name))) << name;
  }
}

TEST(e2ePictureMaps, TheColorKeyConvertsChannelsAndKeepsFloatValues) {
  TempDir dir;
  cv::Mat picture(6, 8, CV_32FC3, cv::Scalar(-2.0, 1000.0, 0.25));
  ASSERT_TRUE(cv::imwrite((dir / "p.tif").string(), picture,
                          {cv::IMWRITE_TIFF_COMPRESSION, 5}));  // LZW: exact floats
  dir.write("gray.yaml",
            "source: {type: picture, path: p.tif, color: gray}\n"
            "stages: [{name: s, bank: [identity]}]\nsinks: [{type: maps, path: out.tif}]\n");
  const ProcessResult run = conveyor_in(dir, {"run", "gray.yaml"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  const cv::Mat out = cv::imread((dir / "out.tif").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(out.type(), CV_32FC1);
  // OpenCV's BGR to gray weights: 0.114 B + 0.587 G + 0.299 R.
  EXPECT_NEAR(out.at<float>(3, 4), 0.114f * -2.0f + 0.587f * 1000.0f + 0.299f * 0.25f, 0.01f);
}

TEST(e2ePictureMaps, MapsAndPrintHoldOneFrameAndCountTheRestAsRejected) {
  TempDir dir;
  dir.write("stream.yaml",
            "source: {type: testpattern, width: 32, height: 24, frames: 3}\n"
            "stages: [{name: s, bank: [box]}]\n"
            "sinks:\n  - {type: maps, path: out.tif}\n  - {type: print}\n"
            "  - {type: images, pattern: \"f_%02d.png\"}\n"
            "metrics: {report: report.json}\n");
  const ProcessResult run = conveyor_in(dir, {"run", "stream.yaml"});
  EXPECT_EQ(run.exit_code, 5) << describe(run);  // drops over runtime.max_drop_ratio 0
  EXPECT_TRUE(contains(run.err, "hold one frame, frame 1 was not written")) << describe(run);
  const nlohmann::json report = read_json(dir / "report.json");
  expect_balanced(report);
  EXPECT_EQ(report["frames"]["decoded"], 3);
  for (const auto& sink : report["sinks"]) {
    const bool one_frame = sink["name"] != "images";
    EXPECT_EQ(sink["written"], one_frame ? 1 : 3) << sink.dump();
    EXPECT_EQ(sink["dropped"], one_frame ? 2 : 0) << sink.dump();
  }
  EXPECT_TRUE(fs::exists(dir / "f_02.png")) << "the other sinks get every frame";
  EXPECT_TRUE(fs::exists(dir / "out.tif"));
  EXPECT_TRUE(partial_files(dir.path()).empty());
}

TEST(e2ePictureMaps, BadPicturesAndOutputsFailBeforeAnyWork) {
  TempDir dir;
  dir.write("empty.png", "");
  for (const auto& [path, fragment] :
       std::vector<std::pair<std::string, std::string>>{{"none.png", "does not exist"},
                                                        {"empty.png", "is empty (0 bytes)"},
                                                        {".", "is a directory"}}) {
    dir.write("bad.yaml", "source: {type: picture, path: \"" + path +
                              "\"}\nstages: [{name: s, bank: [box]}]\nsinks: [{type: null}]\n");
    const ProcessResult run = conveyor_in(dir, {"run", "bad.yaml"});
    EXPECT_EQ(run.exit_code, 3) << describe(run);
    EXPECT_TRUE(contains(run.err, "input '" + path + "' " + fragment)) << describe(run);
  }
  dir.write("m.txt", kMatrix);
  dir.write("out.yaml",
            "source: {type: picture, path: m.txt}\nstages: [{name: s, bank: [box]}]\n"
            "sinks: [{type: maps, path: out.gif}]\n");
  const ProcessResult run = conveyor_in(dir, {"run", "out.yaml"});
  EXPECT_EQ(run.exit_code, 4) << describe(run);
  EXPECT_TRUE(contains(run.err, "cannot write output 'out.gif': unknown extension '.gif'"))
      << describe(run);
}

// The maps sink's files are known once the stage's maps are: a per-map file
// that is the input is refused, a name that only looks like one is not.
TEST(e2ePictureMaps, PerMapFilesAreCheckedAgainstTheInputByTheirNames) {
  TempDir dir;
  cv::Mat picture(12, 16, CV_8UC1, cv::Scalar(90));
  ASSERT_TRUE(cv::imwrite((dir / "e_sobel_x.png").string(), picture));
  dir.write("clash.yaml",
            "source: {type: picture, path: e_sobel_x.png}\n"
            "stages: [{name: s, bank: [sobel_x, sobel_y]}]\nsinks: [{type: maps, path: e.png}]\n");
  const ProcessResult clash = conveyor_in(dir, {"run", "clash.yaml"});
  EXPECT_EQ(clash.exit_code, 2) << describe(clash);
  EXPECT_TRUE(contains(clash.err, "overwrite its input")) << describe(clash);
  dir.write("single.yaml",
            "source: {type: picture, path: e_sobel_x.png}\n"
            "stages: [{name: s, bank: [sobel_x]}]\nsinks: [{type: maps, path: e.png}]\n");
  const ProcessResult single = conveyor_in(dir, {"run", "single.yaml"});
  EXPECT_EQ(single.exit_code, 0) << describe(single);  // one map: only e.png is written
  EXPECT_TRUE(fs::exists(dir / "e.png"));
}

// A killed run's temporary of one of the per-map files is removed by the
// next run writing the same maps, as for every other output.
TEST(e2ePictureMaps, StaleTemporariesOfPerMapFilesAreRemoved) {
  TempDir dir;
  dir.write("m.txt", kMatrix);
  dir.write("two.yaml", lesson_pipeline("[sobel_x, laplacian]", "  - {type: maps, path: m.tif}\n"));
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);  // its pid now names no process
  const fs::path stale = dir / (".m_sobel_x.tif.partial." + util::host_name() + "." +
                                std::to_string(child) + ".0000dead.tif");
  const fs::path unrelated = dir / (".other.tif.partial." + util::host_name() + "." +
                                    std::to_string(child) + ".0000dead.tif");
  for (const auto& path : {stale, unrelated}) {
    std::ofstream(path) << "not finished";
    fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::hours(1));
  }
  const ProcessResult run = conveyor_in(dir, {"run", "two.yaml"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_FALSE(fs::exists(stale)) << describe(run);
  EXPECT_TRUE(fs::exists(unrelated)) << "not an output of this run";
  EXPECT_TRUE(fs::exists(dir / "m_sobel_x.tif"));
}

}  // namespace
}  // namespace conveyor::testing::e2e
