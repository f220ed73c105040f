// End to end: one outcome model for every frame (docs/metrics.md). A sink
// refusing frames never keeps them from the other sinks, whether the refusal
// is one frame at a time (an image that cannot be put in place) or for good
// (a full disk); each sink's own counts are in the summary, the report and
// the trace, and every report lists outages (none for a file source).
#include <opencv2/imgcodecs.hpp>

#include "conveyor/metrics/latency_plot.hpp"
#include "e2e_support.hpp"
#include "tmpfs_mount.hpp"

namespace conveyor::testing::e2e {
namespace {

std::string two_sink_pipeline(int frames, int size, const std::string& sinks) {
  return "name: outcomes\nsource: { type: testpattern, width: " + std::to_string(size * 4 / 3) +
         ", height: " + std::to_string(size) + ", fps: 30, frames: " + std::to_string(frames) +
         " }\nstages:\n  - name: edges\n    bank: [{ name: gx, kernel: sobel_x }]\n"
         "sinks: " +
         sinks +
         "\nruntime: { threads: 2, mode: throughput, max_drop_ratio: 1 }\n"
         "metrics: { report: out/r.json, trace: out/t.csv }\n";
}

const nlohmann::json& sink_named(const nlohmann::json& report, const std::string& name) {
  for (const auto& sink : report.at("sinks")) {
    if (sink.at("name") == name) return sink;
  }
  ADD_FAILURE() << "no sink '" << name << "' in " << report.dump(2);
  static const nlohmann::json none = nlohmann::json::object();
  return none;
}

std::size_t images_in(const fs::path& folder) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    count += entry.is_regular_file() && entry.path().extension() == ".png" ? 1 : 0;
  }
  return count;
}

// Frames 2, 5 and 9 cannot be put in place (a folder holds each name): the
// images sink refuses them, one at a time. Whether it comes first or last,
// the video and the other images get every frame; the frame is counted as
// writer_reject once in the balance and against the refusing sink only.
TEST(e2eSinkOutcomes, ASinkRefusingFramesNeverKeepsThemFromTheOtherSinks) {
  const int frames = 12;
  const std::vector<int> refused{2, 5, 9};
  const std::string refusing = "{ type: images, name: pics, pattern: 'out/bad/i_%03d.png' }";
  const std::string others =
      "{ type: file, name: video, path: out/v.mkv }, { type: images, name: copy, pattern: "
      "'out/good/i_%03d.png' }";
  for (const bool refusing_first : {true, false}) {
    SCOPED_TRACE(refusing_first ? "the refusing sink first" : "the refusing sink last");
    TempDir dir;
    for (const int f : refused) fs::create_directories(dir / numbered("out/bad/i_", f, ".png"));
    const std::string sinks = refusing_first ? "[" + refusing + ", " + others + "]"
                                             : "[" + others + ", " + refusing + "]";
    dir.write("p.yaml", two_sink_pipeline(frames, 48, sinks));
    const ProcessResult result = conveyor_in(dir, {"run", "p.yaml"});
    ASSERT_EQ(result.exit_code, 0) << describe(result);

    // The other sinks: every frame.
    EXPECT_EQ(read_video(dir / "out/v.mkv").size(), static_cast<std::size_t>(frames));
    EXPECT_EQ(images_in(dir / "out/good"), static_cast<std::size_t>(frames));
    EXPECT_EQ(images_in(dir / "out/bad"), static_cast<std::size_t>(frames) - refused.size());
    EXPECT_TRUE(partial_files(dir.path()).empty()) << "a refused image left its temporary";

    const nlohmann::json report = read_json(dir / "out/r.json");
    ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
    EXPECT_EQ(report["schema"], "conveyor.report/2");
    EXPECT_EQ(report["frames"]["decoded"], frames);
    EXPECT_EQ(report["frames"]["written"], frames - 3);
    EXPECT_EQ(report["drops"]["writer_reject"], 3);
    EXPECT_EQ(report["outages"], nlohmann::json::array()) << "a file source has no outages";
    ASSERT_EQ(report["sinks"].size(), 3u);
    for (const std::string name : {"video", "copy"}) {
      const nlohmann::json& sink = sink_named(report, name);
      EXPECT_EQ(sink["written"], frames) << sink.dump();
      EXPECT_EQ(sink["dropped"], 0) << sink.dump();
      EXPECT_EQ(sink["skipped"], 0) << sink.dump();
    }
    const nlohmann::json& pics = sink_named(report, "pics");
    EXPECT_EQ(pics["written"], frames - 3) << pics.dump();
    EXPECT_EQ(pics["drops"]["writer_reject"], 3) << pics.dump();
    EXPECT_EQ(pics["dropped"], 3) << pics.dump();

    // The summary: the balance, then one line per sink.
    EXPECT_TRUE(
        contains(result.err, "frames: decoded 12 = written 9 + dropped 3 (writer_reject 3)"))
        << result.err;
    EXPECT_TRUE(contains(result.err, "sink 'pics': written 9 + dropped 3 (writer_reject 3)"))
        << result.err;
    EXPECT_TRUE(contains(result.err, "sink 'video': written 12 + dropped 0")) << result.err;

    // The trace: each sink's outcome per frame, after the old columns.
    const metrics::Trace trace = metrics::read_trace((dir / "out/t.csv").string());
    const std::vector<std::string> order = refusing_first
                                               ? std::vector<std::string>{"pics", "video", "copy"}
                                               : std::vector<std::string>{"video", "copy", "pics"};
    ASSERT_EQ(trace.sink_names, order);
    ASSERT_EQ(trace.rows.size(), static_cast<std::size_t>(frames));
    const std::size_t pics_column = refusing_first ? 0 : 2;
    for (const auto& row : trace.rows) {
      const bool bad = std::find(refused.begin(), refused.end(), row.sequence) != refused.end();
      EXPECT_EQ(row.outcome, bad ? "writer_reject" : "written") << row.sequence;
      ASSERT_EQ(row.sink_outcomes.size(), 3u);
      for (std::size_t s = 0; s < 3; ++s) {
        const bool refused_here = bad && s == pics_column;
        EXPECT_EQ(row.sink_outcomes[s], refused_here ? "writer_reject" : "written")
            << "frame " << row.sequence << " at " << order[s];
      }
    }

    // `conveyor report` prints each sink's own counts.
    const ProcessResult shown = conveyor_in(dir, {"report", "out/r.json"});
    EXPECT_EQ(shown.exit_code, 0) << describe(shown);
    EXPECT_TRUE(contains(shown.out, "sink 'pics': written 9 + dropped 3 (writer_reject 3)"))
        << shown.out;
  }
}

// A sink that fails for good (its disk full) stops the run, exit 4; the
// frames still in flight reach the other sink all the same, and count against
// the full one only: the other sink has every decoded frame.
TEST(e2eSinkOutcomes, AFullDiskStopsTheRunButEveryDecodedFrameReachesTheOtherSink) {
  TempDir dir;
  TmpfsMount full(dir / "full", "1m");
  if (!full.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  dir.write("p.yaml",
            two_sink_pipeline(400, 480,
                              "[{ type: file, name: full, path: full/v.mkv }, "
                              "{ type: images, name: pics, pattern: 'out/i_%04d.png' }]"));
  const ProcessResult result = conveyor_in(dir, {"run", "p.yaml"}, std::chrono::seconds(120));
  EXPECT_EQ(result.exit_code, 4) << describe(result);
  const nlohmann::json report = read_json(dir / "out/r.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  const int decoded = report["frames"]["decoded"].get<int>();
  EXPECT_LT(decoded, 400) << "the run did not stop";
  const nlohmann::json& pics = sink_named(report, "pics");
  const nlohmann::json& video = sink_named(report, "full");
  EXPECT_EQ(pics["written"], decoded) << report.dump(2);
  EXPECT_EQ(images_in(dir / "out"), static_cast<std::size_t>(decoded));
  EXPECT_GT(video["drops"]["writer_reject"].get<int>(), 0) << report.dump(2);
  EXPECT_EQ(video["written"].get<int>() + video["dropped"].get<int>(), decoded);
  EXPECT_EQ(report["drops"]["writer_reject"], video["drops"]["writer_reject"]);
  EXPECT_EQ(report["frames"]["written"], video["written"]);
}

}  // namespace
}  // namespace conveyor::testing::e2e
