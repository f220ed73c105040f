// End to end: outputs that cannot be made or completed. Every output (trace,
// report, video, images) that cannot be created is exit 4 naming the path and
// the reason; a full disk stops the run at once with one message; an encoder
// failure leaves no file; only verified files are named as outputs.
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/runner.hpp"
#include "e2e_support.hpp"
#include "tmpfs_mount.hpp"

namespace conveyor::testing::e2e {
namespace {

std::string pipeline_text(int width, int height, int frames, const std::string& sinks,
                          const std::string& metrics) {
  return "name: outputs\nsource: { type: testpattern, width: " + std::to_string(width) +
         ", height: " + std::to_string(height) + ", fps: 30, frames: " + std::to_string(frames) +
         " }\nstages:\n  - name: edges\n    bank: [{ name: gx, kernel: sobel_x }, { name: gy, "
         "kernel: sobel_y }]\n    combine: { op: magnitude }\n    post: { normalize: abs_scale }\n"
         "sinks: " +
         sinks + "\nruntime: { threads: 2, mode: throughput }\nmetrics: " + metrics + "\n";
}

std::size_t count_of(const std::string& text, const std::string& fragment) {
  std::size_t count = 0;
  for (auto at = text.find(fragment); at != std::string::npos; at = text.find(fragment, at + 1))
    ++count;
  return count;
}

// Exit 4, one error naming the path and the reason, never "internal error",
// and the failed output is not claimed on the summary's "output:" line.
void expect_output_failure(const ProcessResult& result, const std::string& path,
                           const std::string& reason, bool claimed = false) {
  EXPECT_EQ(result.exit_code, 4) << describe(result);
  EXPECT_TRUE(contains(result.err, "conveyor: error: ")) << describe(result);
  EXPECT_TRUE(contains(result.err, path)) << "path '" << path << "' not named\n"
                                          << describe(result);
  EXPECT_TRUE(contains(result.err, reason)) << "reason '" << reason << "' not given\n"
                                            << describe(result);
  EXPECT_FALSE(contains(result.err, "internal error")) << describe(result);
  if (!claimed) {
    EXPECT_FALSE(contains(result.err, "output: " + path)) << describe(result);
  }
}

// The report's "outputs"; "" when the run wrote no report (a failed start).
std::string claimed_outputs(const fs::path& report) {
  const nlohmann::json json = read_json(report);
  return json.is_object() ? json.value("outputs", "?") : "";
}

// Each kind of output under a regular file ("Not a directory") and in a
// read-only filesystem: exit 4 naming the path and the reason.
TEST(e2eOutputFaults, EveryOutputThatCannotBeCreatedIsExitFourNamingPathAndReason) {
  TempDir dir;
  dir.write("afile", "a regular file, not a folder\n");
  TmpfsMount readonly(dir / "ro", "64k", true);
  struct Case {
    std::string folder;
    std::string reason;
  };
  std::vector<Case> cases{{"afile", "Not a directory"}};
  if (readonly.mounted()) cases.push_back({"ro", "Read-only file system"});
  for (const Case& c : cases) {
    const std::string ok_sink = "[{ type: file, path: out/ok.mkv }]";
    const std::string trace = c.folder + "/trace.csv";
    dir.write("trace.yaml", pipeline_text(64, 48, 5, ok_sink, "{ trace: " + trace + " }"));
    expect_output_failure(conveyor_in(dir, {"run", "trace.yaml"}), trace, c.reason);

    const std::string report = c.folder + "/report.json";
    dir.write("report.yaml", pipeline_text(64, 48, 5, ok_sink, "{ report: " + report + " }"));
    expect_output_failure(conveyor_in(dir, {"run", "report.yaml"}), report, c.reason);

    const std::string video = c.folder + "/v.mkv";
    dir.write("video.yaml", pipeline_text(64, 48, 5, "[{ type: file, path: " + video + " }]",
                                          "{ report: out/video.json }"));
    expect_output_failure(conveyor_in(dir, {"run", "video.yaml"}), video, c.reason);
    EXPECT_EQ(claimed_outputs(dir / "out/video.json"), "");

    const std::string images = c.folder + "/i_%03d.png";
    dir.write("images.yaml",
              pipeline_text(64, 48, 5, "[{ type: images, pattern: '" + images + "' }]",
                            "{ report: out/images.json }"));
    expect_output_failure(conveyor_in(dir, {"run", "images.yaml"}), c.folder + "/", c.reason);
    EXPECT_EQ(claimed_outputs(dir / "out/images.json"), "");
  }
  if (!readonly.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: read-only case not run";
}

// A full disk stops the run at once with one message; the other outputs are
// finalized; the output that failed is neither left nor claimed.
TEST(e2eOutputFaults, FullDiskStopsTheRunAtOnceWithOneMessage) {
  TempDir dir;
  TmpfsMount full(dir / "full", "1m");
  if (!full.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  const int frames = 300;  // 640x480 FFV1 frames: the 1 MiB fill well within 300
  // Each run ends when the disk is full, which takes a few seconds here but
  // minutes under ThreadSanitizer: a generous bound, not a timing assertion.
  const auto bound = std::chrono::seconds(240);

  // The video on the full disk, the report beside the test.
  dir.write("video.yaml", pipeline_text(640, 480, frames, "[{ type: file, path: full/v.mkv }]",
                                        "{ report: out/video.json, trace: out/video.csv }"));
  const ProcessResult video = conveyor_in(dir, {"run", "video.yaml"}, bound);
  expect_output_failure(video, "full/v.mkv", "No space left on device");
  EXPECT_EQ(count_of(video.err, "No space left"), 1u) << describe(video);
  EXPECT_TRUE(fs::is_empty(dir / "full")) << "a partial or unverified file was left";
  const nlohmann::json report = read_json(dir / "out/video.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_LT(report["frames"]["decoded"].get<int>(), frames) << "the run did not stop at once";
  EXPECT_EQ(report["outputs"], "");
  EXPECT_EQ(report["exit_code"], 4);

  // Images on the full disk, a video elsewhere: the video is finalized,
  // verified and named; the images written before the disk filled are kept.
  dir.write("images.yaml",
            pipeline_text(640, 480, frames,
                          "[{ type: images, pattern: 'full/i_%03d.png' }, { type: file, path: "
                          "out/ok.mkv }]",
                          "{ report: out/images.json }"));
  const ProcessResult images = conveyor_in(dir, {"run", "images.yaml"}, bound);
  expect_output_failure(images, "full/", "No space left on device", true);
  EXPECT_EQ(count_of(images.err, "No space left"), 1u) << describe(images);
  EXPECT_TRUE(contains(images.err, "output: full/i_%03d.png, out/ok.mkv")) << describe(images);
  const nlohmann::json images_report = read_json(dir / "out/images.json");
  EXPECT_EQ(images_report["outputs"], "full/i_%03d.png, out/ok.mkv");
  // The video has every frame the images refused too (each sink its own count).
  EXPECT_EQ(read_video(dir / "out/ok.mkv").size(),
            images_report["sinks"][1]["written"].get<std::size_t>());
  EXPECT_EQ(images_report["sinks"][1]["written"], images_report["frames"]["decoded"]);
  EXPECT_TRUE(partial_files(dir.path()).empty());
  for (const auto& entry : fs::directory_iterator(dir / "full")) fs::remove(entry.path());

  // The trace on the full disk (a long run): stopped, said once.
  dir.write("trace.yaml", pipeline_text(32, 24, 100000, "[{ type: null }]",
                                        "{ trace: full/t.csv, report: out/trace.json }"));
  const ProcessResult trace = conveyor_in(dir, {"run", "trace.yaml"}, bound);
  expect_output_failure(trace, "full/t.csv", "No space left on device");
  EXPECT_EQ(count_of(trace.err, "No space left"), 1u) << describe(trace);
  EXPECT_LT(read_json(dir / "out/trace.json")["frames"]["decoded"].get<int>(), 100000);
  EXPECT_TRUE(fs::is_empty(dir / "full")) << "a cut trace or its temporary was left";
}

// `apply` on a full disk: every output format is exit 4 with the reason and
// leaves nothing (OpenCV's PNG writer alone reports success on a full disk).
TEST(e2eOutputFaults, ApplyOnAFullDiskIsExitFourAndLeavesNothing) {
  TempDir dir;
  TmpfsMount full(dir / "full", "8k");
  if (!full.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  cv::Mat picture(120, 160, CV_8UC1);
  cv::randu(picture, 0, 255);
  ASSERT_TRUE(cv::imwrite((dir / "in.png").string(), picture));
  for (const std::string ext : {".png", ".tif", ".jpg", ".bmp", ".txt"}) {
    SCOPED_TRACE(ext);
    const ProcessResult result =
        conveyor_in(dir, {"apply", "-k", "sobel_x", "in.png", "-o", "full/map" + ext});
    expect_output_failure(result, "full/map" + ext, "No space left on device");
    EXPECT_TRUE(fs::is_empty(dir / "full")) << "a truncated file was left";
  }
}

pipeline::RunResult run_in_process(const TempDir& dir, const std::string& text) {
  const auto spec = config::load_pipeline_from_string(text, "encoder.yaml");
  pipeline::RunOptions options;
  options.quiet = true;
  Watchdog watchdog(std::chrono::seconds(60), "a run with a failing encoder");
  (void)dir;
  return pipeline::run_pipeline(spec, options);
}

class EncodeHookGuard {
 public:
  explicit EncodeHookGuard(pipeline::test_hooks::EncodeHook hook) {
    pipeline::test_hooks::set_before_encode(std::move(hook));
  }
  ~EncodeHookGuard() { pipeline::test_hooks::set_before_encode(nullptr); }
  EncodeHookGuard(const EncodeHookGuard&) = delete;
  EncodeHookGuard& operator=(const EncodeHookGuard&) = delete;
};

// The encoder failing (out of memory at the first frame, an I/O error mid-run):
// no file at the final path, none claimed; the other outputs are finalized.
TEST(e2eOutputFaults, EncoderFailureLeavesNoFileAndNoClaim) {
  TempDir dir;
  const std::string video = (dir / "v.mkv").string();
  const std::string text =
      pipeline_text(64, 48, 30,
                    "[{ type: file, path: '" + video + "' }, { type: images, pattern: '" +
                        (dir / "i_%03d.png").string() + "' }]",
                    "{ report: '" + (dir / "report.json").string() + "' }");
  struct Case {
    std::int64_t at;
    bool persistent;
  };
  for (const Case c : {Case{0, false}, Case{0, true}, Case{3, true}}) {
    SCOPED_TRACE("failure at frame " + std::to_string(c.at) +
                 (c.persistent ? " (I/O error)" : " (out of memory)"));
    EncodeHookGuard hook([c](const std::string&, std::int64_t frame) {
      if (frame < c.at) return;
      if (c.persistent) throw pipeline::PersistentOutputError("injected: Input/output error");
      throw std::runtime_error("encoding failed: Cannot allocate memory");
    });
    const pipeline::RunResult result = run_in_process(dir, text);
    EXPECT_EQ(result.exit_code, util::ExitCode::Output) << result.message;
    EXPECT_TRUE(contains(result.message, video)) << result.message;
    EXPECT_FALSE(fs::exists(video)) << "an unverified file was left at the final path";
    EXPECT_TRUE(partial_files(dir.path()).empty());
    const nlohmann::json report = read_json(dir / "report.json");
    ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
    EXPECT_FALSE(contains(report["outputs"].get<std::string>(), "v.mkv")) << report.dump(2);
    EXPECT_LT(report["frames"]["decoded"].get<int>(), 30) << "the run did not stop";
  }
}

}  // namespace
}  // namespace conveyor::testing::e2e
