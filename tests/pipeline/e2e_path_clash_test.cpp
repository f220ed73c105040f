// End to end: a pipeline whose output is one of its inputs (the source, the
// pipeline file, a kernel file) or another output, however the paths are
// spelled (`./`, `..`, a symlinked folder, a hard link, a numbered pattern),
// is refused by `validate` and by `run` with exit 2 before the first frame,
// naming both keys, and every input is left byte for byte as it was.
#include <unistd.h>

#include <map>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

const std::string kStages = "stages: [{ bank: [sobel_x] }]\n";

struct Clash {
  std::string name;
  std::string source;  // the source mapping
  std::string rest;    // sinks (and metrics, include_kernels)
  std::vector<std::string> fragments;
};

std::vector<Clash> clashes() {
  const std::string clip = "{ type: file, path: in.mkv }";
  const std::string null_sink = "sinks: [{ type: null }]\n";
  return {
      {"TraceIsTheSource",
       "{ type: file, path: ./in.mkv }",
       null_sink + "metrics: { trace: in.mkv }\n",
       {"p.yaml:5:", "metrics.trace: 'in.mkv' is the same file as source.path './in.mkv'",
        "would overwrite its input"}},
      {"ReportIsTheSourceThroughDotDot",
       clip,
       null_sink + "metrics: { report: sub/../in.mkv }\n",
       {"metrics.report: 'sub/../in.mkv'", "source.path 'in.mkv' (p.yaml:2:"}},
      {"FileSinkIsTheSource",
       clip,
       "sinks: [{ type: file, path: sub/./../in.mkv }]\n",
       {"sinks.0.path", "source.path"}},
      {"ReportIsThePipelineFile",
       clip,
       null_sink + "metrics: { report: ./p.yaml }\n",
       {"metrics.report: './p.yaml'", "the pipeline file", "its own pipeline file"}},
      {"TraceIsAnIncludedKernelFile",
       clip,
       null_sink + "include_kernels: [k.yaml]\nmetrics: { trace: k.yaml }\n",
       {"metrics.trace: 'k.yaml'", "include_kernels.0", "a kernel file it reads"}},
      {"ImagesSinkWritesTheSourceImage",
       "{ type: images, pattern: pics/img_007.png }",
       "sinks: [{ type: images, pattern: pics/img_%03d.png }]\n",
       {"sinks.0.pattern: 'pics/img_%03d.png' names the same file as source.pattern"}},
      {"ImagesSinkInTheSourceGlob",
       "{ type: images, pattern: \"pics/*.png\" }",
       "sinks: [{ type: images, pattern: link/out_%d.png }]\n",
       {"sinks.0.pattern", "source.pattern 'pics/*.png'"}},
      {"HardLinkOfTheSource",
       clip,
       "sinks: [{ type: file, path: hard.mkv }]\n",
       {"sinks.0.path: 'hard.mkv' is the same file as source.path 'in.mkv'"}},
      {"TwoSinksWithDot",
       clip,
       "sinks:\n  - { type: file, path: out/./a.mkv }\n  - { type: file, path: out/a.mkv }\n",
       {"sinks.1.path: 'out/a.mkv' is the same file as sinks.0.path 'out/./a.mkv'",
        "expected a different path for each output"}},
      {"TwoSinksWithDotDot",
       clip,
       "sinks:\n  - { type: file, path: out/a.mkv }\n  - { type: file, path: out/sub/../a.mkv }\n",
       {"sinks.1.path: 'out/sub/../a.mkv'", "sinks.0.path 'out/a.mkv'"}},
      {"TwoOutputsThroughASymlinkedFolder",
       clip,
       "sinks: [{ type: file, path: out/a.mkv }]\nmetrics: { report: link/a.mkv }\n",
       {"metrics.report: 'link/a.mkv' is the same file as sinks.0.path 'out/a.mkv'"}},
      {"TraceAmongTheImagesSinkFiles",
       clip,
       "sinks: [{ type: images, pattern: out/f_%d.png }]\nmetrics: { trace: out/./f_1.png }\n",
       {"metrics.trace: 'out/./f_1.png' names the same file as sinks.0.pattern"}},
  };
}

void PrintTo(const Clash& value, std::ostream* os) {
  *os << value.name;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The folder every case runs in: a clip, a hard link of it, pictures, a
// kernel file, an empty `sub` folder and `link` -> `out` (then `pics`).
class PathClashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_ffv1_clip(dir / "in.mkv", 4, cv::Size(64, 48));
    ASSERT_EQ(::link((dir / "in.mkv").c_str(), (dir / "hard.mkv").c_str()), 0);
    fs::create_directories(dir / "sub");
    fs::create_directories(dir / "pics");
    fs::create_directories(dir / "out");
    for (int i = 6; i <= 8; ++i) {
      const std::string name = "pics/img_00" + std::to_string(i) + ".png";
      ASSERT_TRUE(cv::imwrite((dir / name).string(), clip_frame(i, cv::Size(64, 48))));
    }
    dir.write("k.yaml", "version: 1\nkernels:\n  ridge:\n    weights: [[-1, 2, -1]]\n");
  }

  // Every regular file of the folder and its bytes.
  std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
      if (entry.is_regular_file() && !entry.is_symlink())
        files[fs::relative(entry.path(), dir.path()).string()] = read_bytes(entry.path());
    }
    return files;
  }

  TempDir dir;
};

class e2ePathClash : public PathClashTest, public ::testing::WithParamInterface<Clash> {};

TEST_P(e2ePathClash, ValidateAndRunRefuseAndLeaveEveryFileAsItWas) {
  const Clash& clash = GetParam();
  const bool into_pics = clash.name == "ImagesSinkInTheSourceGlob";
  fs::create_directory_symlink(into_pics ? "pics" : "out", dir / "link");
  const std::string text = "name: p\nsource: " + clash.source + "\n" + kStages + clash.rest;
  dir.write("p.yaml", text);
  const auto before = snapshot();
  for (const char* command : {"validate", "run"}) {
    const ProcessResult result = conveyor_in(dir, {command, "p.yaml"});
    EXPECT_EQ(result.exit_code, 2) << command << ": " << describe(result);
    for (const auto& fragment : clash.fragments) {
      EXPECT_TRUE(contains(result.err, fragment)) << command << ": missing '" << fragment << "'\n"
                                                  << describe(result);
    }
    EXPECT_EQ(snapshot(), before) << command << " changed, added or removed a file";
  }
}

INSTANTIATE_TEST_SUITE_P(Clashes, e2ePathClash, ::testing::ValuesIn(clashes()),
                         [](const auto& p) { return p.param.name; });

// --set goes through the same loader: an override that names the source as
// the trace is refused, and the message points at the override.
TEST_F(PathClashTest, SetOverrideIsCheckedToo) {
  dir.write("p.yaml", "name: p\nsource: { type: file, path: in.mkv }\n" + kStages +
                          "sinks: [{ type: null }]\nmetrics: { trace: out/t.csv }\n");
  const auto before = snapshot();
  for (const char* command : {"validate", "run"}) {
    const ProcessResult result =
        conveyor_in(dir, {command, "p.yaml", "--set", "metrics.trace=./hard.mkv"});
    EXPECT_EQ(result.exit_code, 2) << describe(result);
    EXPECT_TRUE(contains(result.err,
                         "p.yaml (--set metrics.trace=./hard.mkv): error: "
                         "metrics.trace: './hard.mkv' is the same file as "
                         "source.path 'in.mkv'"))
        << describe(result);
    EXPECT_EQ(snapshot(), before) << command;
  }
}

// The kernel library named by CONVEYOR_KERNELS is a kernel file like any.
TEST_F(PathClashTest, KernelLibraryFromTheEnvironmentIsAnInput) {
  fs::copy_file(fs::path(CONVEYOR_SOURCE_DIR) / "configs" / "kernels.yaml", dir / "lib.yaml");
  dir.write("p.yaml", "name: p\nsource: { type: file, path: in.mkv }\n" + kStages +
                          "sinks: [{ type: null }]\nmetrics: { report: sub/../lib.yaml }\n");
  const auto before = snapshot();
  ProcessOptions options;
  options.env = {"CONVEYOR_KERNELS=lib.yaml"};
  options.working_directory = dir.path();
  options.timeout = 60s;
  for (const char* command : {"validate", "run"}) {
    const ProcessResult result = run_conveyor({command, "p.yaml"}, options);
    EXPECT_EQ(result.exit_code, 2) << describe(result);
    EXPECT_TRUE(contains(result.err,
                         "metrics.report: 'sub/../lib.yaml' is the same file as "
                         "CONVEYOR_KERNELS 'lib.yaml'"))
        << describe(result);
    EXPECT_EQ(snapshot(), before) << command;
  }
}

// Distinct outputs in one folder (and an images pattern beside the report
// and trace) still pass, and the run writes them all.
TEST_F(PathClashTest, DistinctOutputsInOneFolderPass) {
  fs::create_directory_symlink("out", dir / "link");
  dir.write("p.yaml", "name: p\nsource: { type: file, path: in.mkv }\n" + kStages +
                          "sinks:\n  - { type: file, path: out/a.mkv }\n"
                          "  - { type: file, path: link/b.mkv }\n"
                          "  - { type: images, pattern: out/f_%03d.png }\n"
                          "  - { type: images, pattern: out/f_%d.tif }\n"
                          "include_kernels: [k.yaml]\n"
                          "metrics: { report: out/./f_1.json, trace: out/sub/../t.csv }\n");
  const ProcessResult validate = conveyor_in(dir, {"validate", "p.yaml"});
  EXPECT_EQ(validate.exit_code, 0) << describe(validate);
  const ProcessResult run = conveyor_in(dir, {"run", "p.yaml", "-q"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  for (const char* name :
       {"out/a.mkv", "out/b.mkv", "out/f_000.png", "out/f_0.tif", "out/f_1.json", "out/t.csv"}) {
    EXPECT_TRUE(fs::is_regular_file(dir / name)) << name;
  }
}

}  // namespace
}  // namespace conveyor::testing::e2e
