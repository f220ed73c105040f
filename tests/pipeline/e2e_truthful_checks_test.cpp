// End to end, through the real binary: `validate` knows what `run` will do
// (encoders, containers, sizes and image formats probed), kernels that
// overflow are refused everywhere, repeated per-frame warnings are said once,
// and data printed on stdout must arrive.
#include <opencv2/imgcodecs.hpp>

#include "e2e_support.hpp"
#include "support/paths.hpp"

namespace conveyor::testing::e2e {
namespace {

std::string pipeline_text(const std::string& sink, const std::string& extra_stage = "",
                          int width = 320, int height = 240) {
  return "name: probe\nsource: { type: testpattern, width: " + std::to_string(width) +
         ", height: " + std::to_string(height) +
         ", fps: 30, frames: 6 }\nstages:\n  - name: edges\n    bank: [{ name: gx, kernel: "
         "sobel_x }, { name: gy, kernel: sobel_y }" +
         extra_stage +
         "]\n    combine: { op: magnitude, inputs: [gx, gy] }\n    post: { normalize: abs_scale "
         "}\nsinks: [" +
         sink + "]\nruntime: { threads: 2 }\n";
}

void expect_refused(const ProcessResult& result, const std::vector<std::string>& fragments) {
  EXPECT_EQ(result.exit_code, 2) << describe(result);
  for (const auto& fragment : fragments) {
    EXPECT_TRUE(contains(result.err, fragment)) << "missing '" << fragment << "'\n"
                                                << describe(result);
  }
  EXPECT_TRUE(contains(result.err, "expected")) << describe(result);
}

// What the run would fail on at every frame is refused by `validate` and by
// `run` before the first frame: exit 2 naming the sink key and the value.
TEST(e2eTruthfulChecks, ValidateProbesEncodersContainersAndSizes) {
  TempDir dir;
  struct Case {
    std::string sink;
    std::vector<std::string> fragments;
  };
  const std::vector<Case> cases{
      {"{ type: file, path: out/v.mkv, fourcc: ZZZZ }", {"sinks.0.fourcc", "ZZZZ"}},
      {"{ type: file, path: out/v.mp4, fourcc: FFV1 }", {"sinks.0.fourcc", "FFV1", "mp4"}},
      {"{ type: file, path: out/v.mkv, fourcc: H261 }", {"sinks.0.fourcc", "H261", "matroska"}},
      // H.263 takes only a few fixed sizes, 320x240 is not one of them.
      {"{ type: file, path: out/v.avi, fourcc: H263 }", {"sinks.0.fourcc", "H263", "320x240"}},
      {"{ type: null }, { type: file, path: out/v.avi, fourcc: dvsd }",
       {"sinks.1.fourcc", "dvsd", "320x240"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sink);
    dir.write("p.yaml", pipeline_text(c.sink));
    expect_refused(conveyor_in(dir, {"validate", "p.yaml"}), c.fragments);
    const ProcessResult run = conveyor_in(dir, {"run", "p.yaml"});
    expect_refused(run, c.fragments);
    EXPECT_FALSE(contains(run.err, "frames: decoded")) << "the run started: " << describe(run);
  }
  // MPEG-4 Part 2 refuses frames wider than 8191 pixels: the size known at load.
  dir.write("wide.yaml", pipeline_text("{ type: file, path: out/v.mp4 }", "", 9000, 16));
  expect_refused(conveyor_in(dir, {"validate", "wide.yaml"}), {"sinks.0.path", "9000x16"});
  // Good sinks still pass and run.
  dir.write("good.yaml", pipeline_text("{ type: file, path: out/v.avi }, { type: file, path: "
                                       "out/v.mp4 }, { type: images, pattern: 'out/i_%02d.png' }"));
  EXPECT_EQ(conveyor_in(dir, {"validate", "good.yaml"}).exit_code, 0);
  EXPECT_EQ(conveyor_in(dir, {"run", "good.yaml"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir / "out/v.avi"));
}

// The documented .exr images sink works: 8-bit maps and raw float maps are
// written as float EXR and read back with their values.
TEST(e2eTruthfulChecks, ExrImagesSinkWritesFloatImagesThatReadBack) {
  TempDir dir;
  dir.write("exr.yaml", pipeline_text("{ type: images, pattern: 'out/m_%02d.exr' }, "
                                      "{ type: images, pattern: 'out/m_%02d.png' }"));
  // No post step: the raw float responses of Sobel x, negative values included.
  dir.write("raw.yaml",
            "name: raw\nsource: { type: testpattern, width: 64, height: 48, frames: 4 }\n"
            "stages: [{ name: e, bank: [{ name: gx, kernel: sobel_x }] }]\n"
            "sinks: [{ type: images, pattern: 'out/gx_%02d.exr' }]\n");
  ASSERT_EQ(conveyor_in(dir, {"run", "raw.yaml"}).exit_code, 0);
  ASSERT_EQ(conveyor_in(dir, {"validate", "exr.yaml"}).exit_code, 0);
  const ProcessResult run = conveyor_in(dir, {"run", "exr.yaml"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  ::setenv("OPENCV_IO_ENABLE_OPENEXR", "1", 0);
  const cv::Mat exr = cv::imread((dir / "out/m_03.exr").string(), cv::IMREAD_UNCHANGED);
  const cv::Mat png = cv::imread((dir / "out/m_03.png").string(), cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(exr.empty()) << "the .exr image does not read back";
  ASSERT_FALSE(png.empty());
  EXPECT_EQ(exr.depth(), CV_32F);
  cv::Mat as_u8;
  exr.convertTo(as_u8, CV_8U);
  EXPECT_EQ(cv::norm(as_u8, png, cv::NORM_INF), 0.0) << "the 8-bit map's values changed";
  const cv::Mat gx = cv::imread((dir / "out/gx_03.exr").string(), cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(gx.empty());
  double low = 0;
  cv::minMaxLoc(gx, &low);
  EXPECT_LT(low, 0.0) << "raw Sobel responses have negative values";
}

// Sum |w| above 1e30 overflows float maps: refused wherever a kernel is made.
TEST(e2eTruthfulChecks, OverflowingKernelsAreRefusedEverywhere) {
  TempDir dir;
  dir.write("big.txt", "3e38 1 1\n");
  dir.write("big.yaml", "version: 1\nkernels:\n  big:\n    weights: [[3e38, 1, 1]]\n");
  dir.write("scaled.yaml",
            "version: 1\nkernels:\n  big:\n    weights: [[3, 1, 1]]\n    scale: 1e30\n");
  dir.write("in.txt", "1 2 3\n4 5 6\n7 8 9\n");
  dir.write("inline.yaml", pipeline_text("{ type: null }", ", { name: big, weights: [[3e38]] }"));
  const std::vector<std::vector<std::string>> commands{
      {"validate", "inline.yaml"},
      {"run", "inline.yaml"},
      {"kernels", "--kernels-file", "big.yaml", "big"},
      {"kernels", "--kernels-file", "scaled.yaml"},
      {"apply", "-k", "big.txt", "--print", "in.txt"},
      {"apply", "-k", "[[3e38, 3e38]]", "--border", "valid", "--print", "in.txt"},
      {"apply", "-k", "big", "--kernels-file", "big.yaml", "--print", "in.txt"},
  };
  for (const auto& args : commands) {
    SCOPED_TRACE(args[0] + " " + args[1]);
    const ProcessResult result = conveyor_in(dir, args);
    EXPECT_EQ(result.exit_code, 2) << describe(result);
    EXPECT_TRUE(contains(result.err, "sum of |weights|")) << describe(result);
    EXPECT_FALSE(contains(result.out, "inf")) << describe(result);
  }
  // Kernels under the limit, combined with a huge weight: the map overflows.
  const ProcessResult combined =
      conveyor_in(dir, {"apply", "-k", "[[1e29, 1e29, 1e29]]", "-k", "sobel_x", "--combine",
                        "weighted_sum", "--weights", "1e30,1", "--print", "in.txt"});
  EXPECT_EQ(combined.exit_code, 2) << describe(combined);
  EXPECT_TRUE(contains(combined.err, "non-finite")) << describe(combined);
  EXPECT_FALSE(contains(combined.out, "inf")) << describe(combined);
}

// Kernels under the limit whose maps still overflow (a magnitude squares
// 1e29 x 255): each frame is a filter_error naming the stage, said once.
TEST(e2eTruthfulChecks, NonFiniteMapsAreFilterErrorsSaidOnce) {
  TempDir dir;
  std::string text = pipeline_text("{ type: file, path: out/v.mkv }");
  text.replace(text.find("kernel: sobel_x"), 15, "weights: [[1e29, 0, -1e29]]");
  dir.write("p.yaml", text);
  const ProcessResult run = conveyor_in(dir, {"run", "p.yaml"});
  EXPECT_EQ(run.exit_code, 5) << describe(run);
  EXPECT_TRUE(contains(run.err, "stage 'edges'")) << describe(run);
  EXPECT_TRUE(contains(run.err, "non-finite")) << describe(run);
  EXPECT_TRUE(contains(run.err, "... and 5 more: filter_error in stage 'edges'")) << describe(run);
  EXPECT_TRUE(contains(run.err, "filter_error 6")) << describe(run);
  EXPECT_FALSE(fs::exists(dir / "out/v.mkv")) << "a file of no frame was left";
}

// A mid-stream size change: every later frame is refused by the video sink,
// warned once, and still counted.
TEST(e2eTruthfulChecks, SizeChangeMidStreamWarnsOnceAndCountsEveryFrame) {
  TempDir dir;
  fs::create_directories(dir / "seq");
  for (int i = 0; i < 12; ++i) {
    const cv::Size size = i < 3 ? cv::Size(64, 48) : cv::Size(32, 24);
    cv::imwrite((dir / ("seq/f_" + std::to_string(i) + ".png")).string(), clip_frame(i, size));
  }
  dir.write("seq.yaml",
            "name: seq\nsource: { type: images, pattern: 'seq/f_%d.png' }\nstages:\n  - { name: "
            "e, bank: [{ name: gx, kernel: sobel_x }], post: { normalize: abs_scale } }\n"
            "sinks: [{ type: file, path: out/s.mkv }]\nmetrics: { report: out/r.json }\n");
  const ProcessResult run = conveyor_in(dir, {"run", "seq.yaml"});
  EXPECT_EQ(run.exit_code, 5) << describe(run);
  std::size_t refusals = 0;
  for (auto at = run.err.find("frame refused"); at != std::string::npos;
       at = run.err.find("frame refused", at + 1))
    ++refusals;
  EXPECT_EQ(refusals, 1u) << describe(run);
  EXPECT_TRUE(contains(run.err, "... and 8 more: writer_reject in sink 'file'")) << describe(run);
  const nlohmann::json report = read_json(dir / "out/r.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["drops"]["writer_reject"], 9) << report.dump(2);
  EXPECT_EQ(report["frames"]["written"], 3);
  EXPECT_EQ(read_video(dir / "out/s.mkv").size(), 3u);
}

std::string watched_pipeline(const std::string& bank_extra, const std::string& combine) {
  return "name: watch\nsource: { type: testpattern, width: 320, height: 240, fps: 30, frames: 0, "
         "pace: realtime }\nstages:\n  - name: edges\n    bank: [{ name: gx, kernel: sobel_x" +
         bank_extra + " }, { name: gy, kernel: sobel_y" + bank_extra +
         " }]\n    combine: { op: " + combine +
         " }\n    post: { normalize: abs_scale, scale: 0.5 }\n"
         "sinks: [{ type: file, path: out/w.mkv }, { type: images, pattern: 'out/i_%04d.png', "
         "input: gx }]\nmetrics: { report: out/w.json }\n";
}

// --watch: an edit that would change any sink's input size or channels is
// refused and the old bank keeps running; a compatible edit is taken.
TEST(e2eTruthfulChecks, WatchRefusesEditsThatChangeASinksInput) {
  TempDir dir;
  dir.write("w.yaml", watched_pipeline("", "magnitude"));
  const nlohmann::json report =
      run_watch_edits(dir, "w.yaml", "out/w.json",
                      {{watched_pipeline(", stride: 2", "magnitude"),
                        "sink 'file' would get 160x120, 1 channel, 8-bit instead of 320x240"},
                       {watched_pipeline("", "stack"), "sink 'file' would get 640x240, 3 channels"},
                       {watched_pipeline(", border: zero", "magnitude"), "reloaded the banks"}});
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(read_video(dir / "out/w.mkv").size(), report["frames"]["written"].get<std::size_t>());
}

// Commands printing data check that it arrived: a full stdout is exit 4.
TEST(e2eTruthfulChecks, DataOnAFullStdoutIsExitFour) {
  TempDir dir;
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  dir.write("in.txt", "1 2 3\n4 5 6\n7 8 9\n");
  dir.write("p.yaml", pipeline_text("{ type: null }"));
  const std::string tool = conveyor_binary();
  for (const std::string args :
       {"kernels", "kernels --names", "apply -k sobel_x --print in.txt", "validate p.yaml"}) {
    SCOPED_TRACE(args);
    ProcessOptions options;
    options.working_directory = dir.path();
    options.timeout = std::chrono::seconds(60);
    const ProcessResult result =
        run_process({"/bin/sh", "-c", "'" + tool + "' " + args + " > /dev/full"}, options);
    EXPECT_EQ(result.exit_code, 4) << describe(result);
    EXPECT_TRUE(contains(result.err, "stdout")) << describe(result);
    EXPECT_TRUE(contains(result.err, "No space left on device")) << describe(result);
  }
}

}  // namespace
}  // namespace conveyor::testing::e2e
