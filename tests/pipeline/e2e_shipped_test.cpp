// End to end: every pipeline shipped in pipelines/ validates, and every
// one runs for a few frames with its outputs redirected (--set) into a
// temporary folder, a window under Xvfb. Webcam pipelines are only validated.
#include <algorithm>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/pipeline_loader.hpp"
#include "e2e_support.hpp"
#include "support/paths.hpp"

namespace conveyor::testing::e2e {
namespace {

std::vector<std::string> shipped_pipelines() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(source_dir()) / "pipelines")) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

fs::path shipped(const std::string& name) {
  return fs::path(source_dir()) / "pipelines" / (name + ".yaml");
}

bool headless(const config::PipelineSpec& spec) {
  if (spec.source.type == "webcam") return false;
  return std::none_of(spec.sinks.begin(), spec.sinks.end(),
                      [](const config::SinkSpec& sink) { return sink.node->main_thread; });
}

// --set arguments sending every output of `spec` into out/ of the test's
// folder, and a generated clip to a file source.
std::vector<std::string> redirect(const config::PipelineSpec& spec) {
  std::vector<std::string> args;
  auto set = [&args](const std::string& key, const std::string& value) {
    args.push_back("--set");
    args.push_back(key + "=" + value);
  };
  if (spec.source.type == "file") set("source.path", "clip.mkv");
  for (std::size_t i = 0; i < spec.sinks.size(); ++i) {
    for (const auto& path : spec.sinks[i].params->paths()) {
      if (path.on_demand) continue;
      set("sinks." + std::to_string(i) + "." + path.key,
          "out/" + fs::path(path.files.spelling()).filename().string());
    }
  }
  if (!spec.metrics.report.empty()) set("metrics.report", "out/report.json");
  if (!spec.metrics.trace.empty()) set("metrics.trace", "out/trace.csv");
  return args;
}

class e2eShipped : public ::testing::TestWithParam<std::string> {};

TEST_P(e2eShipped, Validates) {
  TempDir dir;  // empty working folder: inputs named by the file are missing
  const ProcessResult plain = conveyor_in(dir, {"validate", shipped(GetParam()).string()});
  EXPECT_EQ(plain.exit_code, 0) << describe(plain);
  EXPECT_TRUE(contains(plain.out, "is valid")) << describe(plain);

  const config::PipelineSpec spec = config::load_pipeline(shipped(GetParam()));
  if (spec.source.type != "file") return;
  // With a real clip the plan shows the input size.
  write_ffv1_clip(dir / "clip.mkv", 4, {320, 240});
  const ProcessResult with_clip =
      conveyor_in(dir, {"validate", shipped(GetParam()).string(), "--set", "source.path=clip.mkv"});
  EXPECT_EQ(with_clip.exit_code, 0) << describe(with_clip);
  EXPECT_TRUE(contains(with_clip.out, "320x240")) << describe(with_clip);
}

// Pipelines with a window run under their own Xvfb server (xvfb-run,
// installed by scripts/install-deps.sh); only a camera cannot exist here.
TEST_P(e2eShipped, RunsFiveFrames) {
  const config::PipelineSpec spec = config::load_pipeline(shipped(GetParam()));
  if (spec.source.type == "webcam") GTEST_SKIP() << "needs a camera, which this machine lacks";
  TempDir dir;
  if (spec.source.type == "file") {
    write_ffv1_clip(dir / "clip.mkv", 8, {320, 240});
  }
  std::vector<std::string> args = {"run", shipped(GetParam()).string(), "--frames", "5", "-q"};
  const std::vector<std::string> sets = redirect(spec);
  args.insert(args.end(), sets.begin(), sets.end());
  ProcessOptions options;
  options.unset_env = {"CONVEYOR_KERNELS"};
  options.working_directory = dir.path();
  options.timeout = std::chrono::seconds(120);
  args.insert(args.begin(), conveyor_binary());
  ProcessResult run;
  if (headless(spec)) {
    run = run_process(args, options);
  } else {
#if defined(__SANITIZE_THREAD__)
    // As the other window tests (docs/testing.md): Qt's xcb thread is not
    // instrumented; these run in the Release and ASan steps.
    GTEST_SKIP() << "a window under ThreadSanitizer";
#endif
    args.insert(args.begin(), {"xvfb-run", "-a", "-s", "-screen 0 1280x800x24"});
    // xvfb-run -a can pick the display number another test's server takes
    // at the same moment; it then says so and a new attempt picks another.
    for (int attempt = 0; attempt < 3; ++attempt) {
      run = run_process(args, options);
      if (!contains(run.err, "Xvfb failed to start")) break;
    }
  }
  ASSERT_EQ(run.exit_code, 0) << describe(run);

  // A source paced in real time does not wait for a busy stage: the newest
  // frame wins and the ones it overwrote are counted as live_overwrite
  // (a loaded machine or a sanitizer build makes that happen). Every other
  // pipeline writes all five frames.
  const bool paced = spec.source.pace == config::Pace::Realtime;
  std::int64_t expected_written = 5;
  if (!spec.metrics.report.empty()) {
    nlohmann::json report = read_json(dir / "out/report.json");
    ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
    EXPECT_EQ(report["frames"]["decoded"], 5) << report.dump(2);
    const std::int64_t overwritten = report["drops"].value("live_overwrite", std::int64_t{0});
    EXPECT_EQ(report["frames"]["dropped"].get<std::int64_t>(), paced ? overwritten : 0)
        << report.dump(2);
    if (paced) expected_written = 5 - overwritten;
    EXPECT_GE(expected_written, 1) << report.dump(2);
    EXPECT_EQ(report["frames"]["written"].get<std::int64_t>(), expected_written);
  }

  for (const auto& sink : spec.sinks) {
    for (const auto& path : sink.params->paths()) {
      if (path.on_demand) continue;
      const std::string written = path.files.spelling();
      if (path.files.kind() == util::FileSet::Kind::File) {
        const fs::path out = dir / "out" / fs::path(written).filename();
        EXPECT_EQ(static_cast<std::int64_t>(read_video(out).size()), expected_written) << out;
        continue;
      }
      const std::string name = fs::path(written).filename().string();
      const std::string prefix = name.substr(0, name.find('%'));
      const auto count = std::count_if(
          fs::directory_iterator(dir / "out"), fs::directory_iterator(), [&](const auto& entry) {
            return entry.path().filename().string().rfind(prefix, 0) == 0;
          });
      EXPECT_EQ(count, expected_written) << written;
    }
  }
  EXPECT_TRUE(partial_files(dir.path()).empty());
}

INSTANTIATE_TEST_SUITE_P(Pipelines, e2eShipped, ::testing::ValuesIn(shipped_pipelines()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace conveyor::testing::e2e
