// Faults in keys and values: unknown, duplicate and missing keys, wrong types,
// lenient YAML scalars, out-of-range values.
#include "pipeline_test_util.hpp"

namespace conveyor::testing {
namespace {

TEST(PipelineKeys, UnknownKeySuggestsTheClosest) {
  EXPECT_ERROR_AT(load_error(minimal("runtime:\n  thread: 2\n")), 6, "runtime.thread",
                  "unknown key 'thread'", "expected one of", "did you mean 'threads'?");
  EXPECT_ERROR_AT(load_error(minimal("sinkz: []\n")), 5, "unknown key 'sinkz'",
                  "did you mean 'sinks'?");
  // A key of another source type is unknown for this one.
  const std::string message = load_error(
      "source: {type: testpattern, loop: true}\nstages: [{bank: [sobel_x]}]\nsinks: [{type: "
      "null}]\n");
  EXPECT_ERROR_AT(message, 1, "source.loop", "unknown key 'loop' in the source");
}

TEST(PipelineKeys, DuplicateKeysReportBothLines) {
  const std::string message =
      load_error(minimal("runtime:\n  threads: 2\n  mode: latency\n  threads: 4\n"));
  EXPECT_ERROR_AT(message, 8, "runtime.threads", "duplicate key 'threads'", "first at line 6",
                  "again at line 8", "expected each key once");
  EXPECT_ERROR_AT(load_error(minimal("name: a\nname: b\n")), 6, "duplicate key 'name'",
                  "first at line 5");
  // Inside flow mappings and kernel parameters too.
  const std::string params = load_error(
      "source: {type: testpattern}\nstages: [{bank: [{kernel: {gaussian: {size: 3, size: 5}}}]}]\n"
      "sinks: [{type: null}]\n");
  EXPECT_ERROR_AT(params, 2, "duplicate key 'size'");
}

TEST(PipelineKeys, MissingRequiredKeysNameThePathAndParentLine) {
  const std::string no_sinks =
      load_error("source: {type: testpattern}\nstages: [{bank: [sobel_x]}]\n");
  EXPECT_ERROR_AT(no_sinks, 1, "sinks: missing", "expected a list of sinks");
  const std::string no_path = load_error(
      "stages: [{bank: [sobel_x]}]\nsinks: [{type: null}]\nsource:\n  type: file\n  loop: true\n");
  EXPECT_ERROR_AT(no_path, 4, "source.path: missing in the source (at line 4)",
                  "expected the video file");
  const std::string no_kernel = load_error(
      "source: {type: testpattern}\nstages:\n  - bank:\n      - {name: a}\nsinks: [{type: "
      "null}]\n");
  EXPECT_ERROR_AT(no_kernel, 4, "stages.0.bank.0.kernel: missing", "expected a library name");
  const std::string no_type =
      load_error("source: {width: 3}\nstages: [{bank: [sobel_x]}]\nsinks: [{type: null}]\n");
  EXPECT_ERROR_AT(no_type, 1, "source.type: missing",
                  "expected one of file, gstreamer, images, picture, testpattern");
}

TEST(PipelineKeys, WrongTypes) {
  const std::string stride = load_error(
      "source: {type: testpattern}\nstages:\n  - bank:\n      - {kernel: sobel_x, stride: abc}\n"
      "sinks: [{type: null}]\n");
  EXPECT_ERROR_AT(stride, 4, "stages.0.bank.0.stride", "'abc' is not an integer",
                  "expected a step from 1 to 64, or [sx, sy]");
  EXPECT_ERROR_AT(load_error(minimal("runtime: {threads: -3}\n")), 5, "runtime.threads",
                  "'-3' is out of range", "expected auto or a thread count from 1 to 1024");
  EXPECT_ERROR_AT(load_error(minimal("include_kernels: extra.yaml\n")), 5, "include_kernels",
                  "'extra.yaml' is not a list", "expected a list of kernel files");
  EXPECT_ERROR_AT(load_error(minimal("runtime: [1, 2]\n")), 5, "runtime",
                  "a list is not a mapping");
  EXPECT_ERROR_AT(load_error(minimal("metrics: {report: [a]}\n")), 5, "metrics.report",
                  "a list is not text", "expected a JSON file path");
  EXPECT_ERROR_AT(load_error(minimal("runtime: {max_drop_ratio: 1.5}\n")), 5,
                  "'1.5' is out of range", "expected a fraction from 0 to 1");
}

TEST(PipelineKeys, LenientScalarsAreRejected) {
  EXPECT_ERROR_AT(load_error(minimal("runtime: {threads: yes}\n")), 5, "'yes' is not an integer");
  EXPECT_ERROR_AT(load_error(minimal("runtime: {max_in_flight: 0x10}\n")), 5,
                  "'0x10' is not an integer");
  EXPECT_ERROR_AT(load_error(minimal("runtime: {max_in_flight: 2.5}\n")), 5,
                  "'2.5' is not an integer");
  const std::string on = load_error(
      "source: {type: file, path: a.mp4, loop: on}\nstages: [{bank: [sobel_x]}]\nsinks: [{type: "
      "null}]\n");
  EXPECT_ERROR_AT(on, 1, "source.loop", "'on' is not a boolean", "expected true or false");
}

TEST(PipelineKeys, NonFiniteWeightsAreRejected) {
  for (const std::string bad : {".nan", ".inf", "-.Inf", ".NaN", "1e999"}) {
    const std::string message = load_error(
        "source: {type: testpattern}\nstages:\n  - bank:\n      - name: w\n        weights: [[1, " +
        bad + ", 1]]\nsinks: [{type: null}]\n");
    const std::string quoted = "'" + bad + "'";  // outlives the macro's use of it
    EXPECT_ERROR_AT(message, 5, "stages.0.bank.0.weights.0.1", quoted.c_str(),
                    "expected a row of 1 to 31 finite numbers");
  }
}

TEST(PipelineKeys, MatrixShapeErrors) {
  const auto with_weights = [](const std::string& weights) {
    return load_error("source: {type: testpattern}\nstages: [{bank: [{name: w, weights: " +
                      weights + "}]}]\nsinks: [{type: null}]\n");
  };
  EXPECT_ERROR_AT(with_weights("[1, 2, 3]"), 2, "a flat list", "expected a list of rows");
  EXPECT_ERROR_AT(with_weights("[[1, 2], [3]]"), 2, "a row of 1 weights",
                  "expected 2 like the first row");
  EXPECT_ERROR_AT(with_weights("[]"), 2, "0 rows", "expected 1 to 31 rows");
  EXPECT_ERROR_AT(with_weights("[[a, 1]]"), 2, "'a' is not a number");
  const std::string both = load_error(
      "source: {type: testpattern}\nstages: [{bank: [{name: w, kernel: box, weights: [[1]]}]}]\n"
      "sinks: [{type: null}]\n");
  EXPECT_ERROR_AT(both, 2, "both kernel and weights", "expected one of them");
  const std::string unnamed = load_error(
      "source: {type: testpattern}\nstages: [{bank: [{weights: [[1]]}]}]\nsinks: [{type: null}]\n");
  EXPECT_ERROR_AT(unnamed, 2, "stages.0.bank.0.name: missing",
                  "expected a name for the inline kernel");
}

TEST(PipelineKeys, OutOfRangeValues) {
  EXPECT_ERROR_AT(load_error("source: {type: testpattern, width: 0}\nstages: [{bank: [sobel_x]}]\n"
                             "sinks: [{type: null}]\n"),
                  1, "source.width", "'0' is out of range", "expected pixels from 1 to 16384");
  EXPECT_ERROR_AT(load_error("source: {type: testpattern, fps: 0}\nstages: [{bank: [sobel_x]}]\n"
                             "sinks: [{type: null}]\n"),
                  1, "source.fps", "expected frames per second");
  EXPECT_ERROR_AT(load_error("source: {type: file, path: a.mkv, start: 10, end: 5}\n"
                             "stages: [{bank: [sobel_x]}]\nsinks: [{type: null}]\n"),
                  1, "source.end", "'5' is not after start 10");
  EXPECT_ERROR_AT(
      load_error("source: {type: testpattern}\nstages: [{bank: [{kernel: box, stride: 0}]}]\n"
                 "sinks: [{type: null}]\n"),
      2, "stages.0.bank.0.stride", "'0' is out of range");
}

TEST(PipelineKeys, SeveralProblemsAreReportedTogether) {
  const std::string message =
      load_error(minimal("runtime: {threads: many, mode: fast}\nmetrics: {reprot: a.json}\n"));
  EXPECT_ERROR_AT(message, 5, "runtime.threads", "runtime.mode", "unknown runtime mode 'fast'");
  EXPECT_ERROR_AT(message, 6, "did you mean 'report'?");
}

}  // namespace
}  // namespace conveyor::testing
