// Hostile inputs never hang and never eat memory: every YAML text (pipelines,
// kernel files, --set values) goes through the guarded reader, and every
// configuration, kernel, report or trace file must be a regular file within
// its documented size. Each run is bounded by a timeout: a hang fails the test
// instead of stalling the suite.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Shapes that make yaml-cpp's LoadAll loop forever or allocate without end.
const std::vector<std::string> kFlowShapes{
    ", a",
    "{a: [b, {c: ,}]}",
    "[",
    "kernels: {a: {weights: [[1]]}}\n, b\n",
};

std::string pipeline(const std::string& extra = "") {
  return "source: {type: testpattern, width: 64, height: 48, frames: 3}\n"
         "stages: [{bank: [{name: a, kernel: sobel_x}]}]\n"
         "sinks: [{type: null}]\n" +
         extra;
}

std::string deep_flow(int levels) {
  return std::string(static_cast<std::size_t>(levels), '[') + "1" +
         std::string(static_cast<std::size_t>(levels), ']');
}

class HostileInput : public CliTest {
 protected:
  // Runs with a bound: a hang is killed and reported, never waited for.
  ProcessResult bounded(const std::vector<std::string>& args, std::vector<std::string> env = {}) {
    ProcessOptions options;
    options.unset_env = {"CONVEYOR_KERNELS"};
    options.env = std::move(env);
    options.working_directory = dir;
    options.timeout = 60s;
    ProcessResult result = run_conveyor(args, options);
    EXPECT_FALSE(result.timed_out) << "hung: conveyor " << args.front();
    return result;
  }
};

TEST_F(HostileInput, KernelFilesInFlowShapesFailEveryCommandQuickly) {
  write("in.txt", "0 1 0\n1 1 1\n0 1 0\n");
  write("p.yaml", pipeline("include_kernels: [bad.yaml]\n"));
  write("plain.yaml", pipeline());
  for (const auto& shape : kFlowShapes) {
    SCOPED_TRACE(shape);
    write("bad.yaml", shape);
    expect_error(bounded({"validate", "p.yaml"}), 2, {"p.yaml:4:", "bad.yaml:"});
    expect_error(bounded({"run", "p.yaml", "--quiet"}), 2, {"bad.yaml:"});
    expect_error(bounded({"apply", "in.txt", "--kernels-file", "bad.yaml", "--kernel", "sobel_x",
                          "-o", "out.txt"}),
                 2, {"bad.yaml:"});
    const std::string env = "CONVEYOR_KERNELS=" + (dir / "bad.yaml").string();
    expect_error(bounded({"kernels"}, {env}), 2, {"bad.yaml:"});
    expect_error(bounded({"validate", "plain.yaml"}, {env}), 2, {"bad.yaml:"});
  }
  // The messages say where: ", a" stops at its comma.
  write("bad.yaml", ", a");
  expect_error(bounded({"kernels", "--kernels-file", "bad.yaml"}), 2,
               {"bad.yaml:1:1:", "unexpected ','"});
}

TEST_F(HostileInput, DeepNestingIsRefusedHoweverItIsHidden) {
  const std::string deep = deep_flow(1000);
  // A quote inside a plain scalar and a "# '" comment once hid the nesting from
  // the line scanner; the guard counts the parser's own events.
  write("flow.yaml", pipeline("name: x\nextra: " + deep + "\n"));
  write("quoted.yaml", "name: x 'y\nsource: " + deep + "\n# '\n" + pipeline());
  std::string block;
  for (int i = 0; i < 1000; ++i)
    block += std::string(static_cast<std::size_t>(2 * i), ' ') + "k:\n";
  write("block.yaml", block);
  expect_error(bounded({"validate", "flow.yaml"}), 2, {"flow.yaml:5:", "nesting deeper than 32"});
  expect_error(bounded({"run", "quoted.yaml"}), 2, {"quoted.yaml:2:", "nesting deeper than 32"});
  expect_error(bounded({"validate", "block.yaml"}), 2, {"block.yaml:33:", "nesting deeper"});
  // The same in kernel files, and in a --set value.
  write("kernels.yaml",
        "kernels:\n  a:\n    description: it 'is\n    weights: " + deep + "\n# '\n");
  write("p.yaml", pipeline("include_kernels: [kernels.yaml]\n"));
  expect_error(bounded({"validate", "p.yaml"}), 2, {"kernels.yaml:4:", "nesting deeper than 32"});
  expect_error(bounded({"kernels", "--kernels-file", "kernels.yaml"}), 2,
               {"kernels.yaml:4:", "nesting deeper"});
  write("plain.yaml", pipeline());
  expect_error(bounded({"validate", "plain.yaml", "--set", "source.width=" + deep}), 2,
               {"source.width", "nesting deeper than 32"});
}

TEST_F(HostileInput, AliasBombsAndSelfAliasesAreRefused) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    const std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" +
            prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + "]\n";
  }
  write("bomb.yaml", bomb + pipeline());
  expect_error(bounded({"validate", "bomb.yaml"}), 2, {"bomb.yaml:", "alias"});
  write("kbomb.yaml", bomb + "kernels: {}\n");
  expect_error(bounded({"kernels", "--kernels-file", "kbomb.yaml"}), 2, {"kbomb.yaml:", "alias"});
  write("self.yaml", "source: &s {type: testpattern, more: [*s]}\nstages: []\nsinks: []\n");
  expect_error(bounded({"validate", "self.yaml"}), 2, {"self.yaml:1:", "alias inside"});
}

TEST_F(HostileInput, SetValuesAreOneGuardedYamlValue) {
  write("p.yaml", pipeline());
  // Once a silent reset to the default.
  expect_error(bounded({"validate", "p.yaml", "--set", "source.width=, 5"}), 2,
               {"--set source.width=, 5", "source.width", "', 5'"});
  expect_error(bounded({"run", "p.yaml", "--set", "source.width=[1, 2"}), 2,
               {"source.width", "not valid YAML"});
  for (const char* value : {"---", "--- 5", "5\n---\n6", "...", "# nothing", "%YAML 1.2"}) {
    SCOPED_TRACE(value);
    expect_error(bounded({"validate", "p.yaml", "--set", std::string("source.width=") + value}), 2,
                 {"source.width", "expected one YAML value"});
  }
  // A blank value still clears a key on purpose; the default then applies.
  EXPECT_EQ(bounded({"validate", "p.yaml", "--set", "name="}).exit_code, 0);
}

TEST_F(HostileInput, ConfigurationFilesMustBeRegularFiles) {
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  fs::create_directories(dir / "folder");
  for (const std::string path : {"/dev/zero", "fifo", "folder"}) {
    SCOPED_TRACE(path);
    expect_error(bounded({"validate", path}), 2, {path, "not a regular file"});
    expect_error(bounded({"kernels", "--kernels-file", path}), 2, {path, "not a regular file"});
    write("p.yaml", pipeline("include_kernels: [" + path + "]\n"));
    expect_error(bounded({"validate", "p.yaml"}), 2, {path, "not a regular file"});
    expect_error(bounded({"kernels"}, {"CONVEYOR_KERNELS=" + path}), 2, {path});
    expect_error(bounded({"report", path}), 3, {path, "not a regular file"});
    // A text-matrix kernel file too.
    write("in.txt", "0 1\n1 0\n");
    const std::string kernel = path[0] == '/' ? path : "./" + path;
    expect_error(bounded({"apply", "in.txt", "--kernel", kernel, "-o", "out.txt"}), 2,
                 {kernel, "not a regular file"});
  }
}

const char* kReport =
    R"({"schema": "conveyor.report/1", "pipeline": "demo",
  "frames": {"decoded": 2, "written": 2, "dropped": 0, "balanced": true},
  "drops": {"decode_gap": 0}, "elapsed_s": 0.1, "fps": 20.0,
  "latency_ms": {
    "end_to_end": {"count": 2, "mean": 7, "min": 6, "p50": 7, "p90": 8, "p99": 8, "p999": 8, "max": 8},
    "sink": {"count": 2, "mean": 1, "min": 1, "p50": 1, "p90": 1, "p99": 1, "p999": 1, "max": 1}},
  "stages": [], "trace": "TRACE"})";

std::string report_naming(const std::string& trace) {
  std::string text = kReport;
  text.replace(text.find("TRACE"), 5, trace);
  return text;
}

TEST_F(HostileInput, TracesAndReportsMustBeRegularFilesOfBoundedSize) {
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  fs::create_directories(dir / "folder");
  write("report.json", report_naming("frames.csv"));
  for (const std::string path : {"/dev/zero", "fifo", "folder"}) {
    SCOPED_TRACE(path);
    expect_error(bounded({"report", "report.json", "--plot", "p.png", "--trace", path}), 3,
                 {"trace '" + path + "'", "not a regular file"});
    write("named.json", report_naming(path));
    expect_error(bounded({"report", "named.json", "--plot", "p.png"}), 3,
                 {"trace '" + path + "'", "not a regular file"});
  }
  EXPECT_FALSE(fs::exists(dir / "p.png"));
  // A trace line without end is refused at its length limit, not slurped.
  write("long.csv", "sequence,source_index,outcome,captured_ms,sink_ms,end_to_end_ms\n" +
                        std::string(200000, '7'));
  expect_error(bounded({"report", "report.json", "--plot", "p.png", "--trace", "long.csv"}), 3,
               {"long.csv", "line 2", "longer than 65536 bytes"});
  // Reports: at most 64 MiB, nesting at most 64 deep.
  {
    std::ofstream big(dir / "big.json", std::ios::binary);
    const std::string report = report_naming("frames.csv");
    big << report.substr(0, report.size() - 1) << ", \"pad\": \"";
    const std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 70; ++i) big << chunk;
    big << "\"}";
  }
  expect_error(bounded({"report", "big.json"}), 3,
               {"'big.json'", "expected at most 67108864 bytes (64 MiB)"});
  write("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  expect_error(bounded({"report", "deep.json"}), 3, {"'deep.json'", "nested deeper than 64"});
  write("huge.json", "{\"schema\": \"conveyor.report/1\", \"fps\": 1e999}");
  expect_error(bounded({"report", "huge.json"}), 3, {"'huge.json'", "not valid JSON"});
}

// --watch reloads go through the same readers: a kernel file of the hanging
// kind is an invalid edit, reported with its file and line, and the run goes on.
TEST_F(HostileInput, WatchReloadOfABadKernelFileIsRefusedAndTheRunGoesOn) {
  const std::string live =
      "source: {type: testpattern, width: 64, height: 48, fps: 30, frames: 0, pace: realtime}\n"
      "stages: [{bank: [{name: a, kernel: sobel_x}]}]\n"
      "sinks: [{type: null}]\n"
      "metrics: {trace: t.csv}\n";
  write("live.yaml", live);
  ProcessOptions options;
  options.unset_env = {"CONVEYOR_KERNELS"};
  options.working_directory = dir;
  options.timeout = 120s;
  ChildProcess child({CONVEYOR_BINARY, "run", "live.yaml", "--watch"}, options);
  // Frames in the trace: the pipeline is loaded and the watcher is running
  // (or, if the trace only appears at the end, 30 s have passed).
  const auto trace_bytes = [&] {
    std::error_code error;
    const auto size = fs::file_size(dir / "t.csv", error);
    return error ? std::uintmax_t{0} : size;
  };
  for (int i = 0; i < 300 && child.running() && trace_bytes() < 300; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(child.running()) << child.stderr_so_far();
  write("bad.yaml", ", a");
  // Edit until the watcher has seen an edit (each changes the file's size), at
  // most for a minute.
  bool refused = false;
  for (int i = 0; i < 60 && !refused && child.running(); ++i) {
    write("live.yaml", live + "include_kernels: [bad.yaml]\n" + (i % 2 == 1 ? "# edit\n" : ""));
    refused = child.wait_for_output("invalid edit", 1s);
  }
  if (refused) {
    std::this_thread::sleep_for(500ms);  // the rest of the message
    EXPECT_TRUE(child.running()) << child.stderr_so_far();
  }
  child.send_signal(SIGINT);
  const ProcessResult result = child.wait();
  EXPECT_TRUE(refused) << describe(result);
  EXPECT_FALSE(result.timed_out) << describe(result);
  EXPECT_EQ(result.exit_code, 130) << describe(result);
  EXPECT_NE(result.err.find("bad.yaml:1:1:"), std::string::npos) << describe(result);
}

}  // namespace
}  // namespace conveyor::testing
