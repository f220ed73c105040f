// Faults in names and references: unknown types and kernels, duplicate names,
// sink inputs, stage chaining, output paths, geometry.
#include "pipeline_test_util.hpp"

namespace conveyor::testing {
namespace {

using namespace conveyor::config;

const std::string kSource = "source: {type: testpattern, width: 64, height: 48}\n";

TEST(PipelineRefs, UnknownTypesSuggestTheClosest) {
  EXPECT_ERROR_AT(
      load_error("source: {type: webcm}\nstages: [{bank: [box]}]\nsinks: [{type: null}]\n"), 1,
      "source.type", "unknown source type 'webcm'",
      "expected one of file, gstreamer, images, picture, testpattern, webcam",
      "did you mean 'webcam'?");
  EXPECT_ERROR_AT(
      load_error(kSource + "stages: [{bank: [box]}]\nsinks: [{type: fiel, path: a.mkv}]\n"), 3,
      "sinks.0.type", "unknown sink type 'fiel'", "did you mean 'file'?");
  EXPECT_ERROR_AT(
      load_error(kSource + "stages: [{type: convolv, bank: [box]}]\nsinks: [{type: null}]\n"), 2,
      "unknown stage type 'convolv'", "did you mean 'convolve'?");
  EXPECT_ERROR_AT(
      load_error(kSource +
                 "stages: [{bank: [{kernel: box, border: reflct}]}]\nsinks: [{type: null}]\n"),
      2, "unknown border 'reflct'", "did you mean 'reflect'?");
}

TEST(PipelineRefs, UnknownKernelSuggestsTheClosest) {
  const std::string message = load_error(
      kSource + "stages:\n  - bank:\n      - {name: a, kernel: sobelx}\nsinks: [{type: null}]\n");
  EXPECT_ERROR_AT(message, 4, "stages.0.bank.0.kernel", "unknown kernel 'sobelx'",
                  "expected a kernel of the library", "did you mean 'sobel_x'?");
  const std::string family = load_error(
      kSource + "stages: [{bank: [{kernel: {gausian: {size: 5}}}]}]\nsinks: [{type: null}]\n");
  EXPECT_ERROR_AT(family, 2, "unknown kernel 'gausian'", "did you mean 'gaussian'?");
  const std::string params = load_error(
      kSource + "stages: [{bank: [{kernel: {gaussian: {size: 4}}}]}]\nsinks: [{type: null}]\n");
  EXPECT_ERROR_AT(params, 2, "stages.0.bank.0", "size 4", "expected");
}

TEST(PipelineRefs, DuplicateNames) {
  EXPECT_ERROR_AT(load_error(kSource + "stages:\n  - bank: [box, box]\nsinks: [{type: null}]\n"), 3,
                  "duplicate filter name 'box'", "expected unique names");
  EXPECT_ERROR_AT(
      load_error(kSource + "stages:\n  - {name: a, bank: [box]}\n  - {name: a, bank: [box]}\n"
                           "sinks: [{type: null}]\n"),
      4, "duplicate stage name 'a'", "first at line 3");
  EXPECT_ERROR_AT(
      load_error(kSource + "stages: [{bank: [box]}]\nsinks:\n  - {type: null, name: s}\n"
                           "  - {type: display, name: s}\n"),
      5, "duplicate sink name 's'", "first at line 4");
  EXPECT_ERROR_AT(
      load_error(kSource + "stages: [{name: output, bank: [box]}]\nsinks: [{type: null}]\n"), 2,
      "'output' is reserved");
}

TEST(PipelineRefs, SinkInputMustNameAMap) {
  const std::string stages =
      "stages:\n  - {name: edges, bank: [sobel_x, sobel_y], combine: {op: max}}\n"
      "  - {name: blur, bank: [box, sobel_x, {name: gx, kernel: sobel_x}]}\n";
  const auto sinks = [&](const std::string& input) {
    return kSource + stages + "sinks:\n  - {type: null, input: " + input + "}\n";
  };
  EXPECT_ERROR_AT(load_error(sinks("edges.sobel_z")), 6, "sinks.0.input",
                  "stage 'edges' has no map 'sobel_z' (its maps: sobel_x, sobel_y)",
                  "did you mean 'edges.sobel_x'?");
  EXPECT_ERROR_AT(load_error(sinks("edgs")), 6, "no map is named 'edgs'", "did you mean 'edges'?");
  EXPECT_ERROR_AT(load_error(sinks("sobel_x")), 6, "'sobel_x' is ambiguous", "edges.sobel_x",
                  "blur.sobel_x");
  const PipelineSpec spec = load(sinks("edges"));
  EXPECT_EQ(spec.sinks[0].map.stage, 0);
  EXPECT_EQ(spec.sinks[0].map.filter, -1);
  EXPECT_EQ(load(sinks("blur.gx")).sinks[0].map.filter, 2);
  EXPECT_EQ(load(sinks("combined")).sinks[0].map.stage, 1);
}

TEST(PipelineRefs, NextStageNeedsASingleMap) {
  const std::string message = load_error(kSource +
                                         "stages:\n  - {name: e, bank: [sobel_x, sobel_y]}\n"
                                         "  - {bank: [box]}\nsinks: [{type: null}]\n");
  EXPECT_ERROR_AT(message, 4, "stages.1", "stage 'e', keeps 2 maps (sobel_x, sobel_y)",
                  "expected a single map", "add a combine");
  const std::string stacked =
      load_error(kSource +
                 "stages:\n  - {name: e, bank: [sobel_x, sobel_y], combine: {op: stack}}\n"
                 "  - {bank: [box]}\nsinks: [{type: null}]\n");
  EXPECT_ERROR_AT(stacked, 4, "keeps 2 maps");
}

TEST(PipelineRefs, CombineInputsAndWeights) {
  const auto stage = [&](const std::string& combine) {
    return load_error(kSource + "stages: [{bank: [sobel_x, sobel_y], combine: " + combine +
                      "}]\nsinks: [{type: null}]\n");
  };
  EXPECT_ERROR_AT(stage("{op: max, inputs: [sobel_x, sobel_z]}"), 2,
                  "'sobel_z' is not a filter of this bank", "did you mean 'sobel_x'?");
  EXPECT_ERROR_AT(stage("{op: weighted_sum, weights: [1]}"), 2, "1 weights for 2 inputs",
                  "expected one weight per input");
  EXPECT_EQ(load(kSource + "stages: [{bank: [sobel_x, sobel_y], combine: {op: weighted_sum}}]\n"
                           "sinks: [{type: null}]\n")
                .stages[0]
                .as<ConvolveParams>()
                .combine->weights,
            (std::vector<float>{1.0f, 1.0f}));
  EXPECT_ERROR_AT(stage("{op: max, weights: [1, 2]}"), 2,
                  "expected weights only with op: weighted_sum");
  EXPECT_ERROR_AT(stage("{op: summ}"), 2, "unknown combine op 'summ'");
}

TEST(PipelineRefs, OutputPathsMustDiffer) {
  EXPECT_ERROR_AT(
      load_error(minimal("").substr(0, minimal("").find("sinks")) +
                 "sinks:\n  - {type: file, path: a.mkv}\n  - {type: file, path: a.mkv}\n"),
      6, "sinks.1.path: 'a.mkv' is the same file as sinks.0.path 'a.mkv' (test.yaml:5:24)",
      "expected a different path for each output");
  EXPECT_ERROR_AT(load_error(minimal("metrics: {report: r.json, trace: r.json}\n")), 5,
                  "metrics.trace", "the same file as metrics.report");
}

TEST(PipelineRefs, SinkFieldChecks) {
  const auto sink = [&](const std::string& text) {
    return load_error(kSource + "stages: [{bank: [box]}]\nsinks: [" + text + "]\n");
  };
  EXPECT_ERROR_AT(sink("{type: file, path: out.webm}"), 3,
                  "'out.webm' has no known video extension");
  EXPECT_ERROR_AT(sink("{type: file, path: out.mkv, fourcc: H264X}"), 3, "'H264X' is not a fourcc");
  EXPECT_ERROR_AT(sink("{type: images, pattern: out/frame.png}"), 3, "has no frame-number field");
  EXPECT_ERROR_AT(sink("{type: images, pattern: out/f_%05d.txt}"), 3, "has no image extension");
  EXPECT_ERROR_AT(sink("{type: display, overlay: [fps, latnecy]}"), 3, "unknown overlay 'latnecy'",
                  "did you mean 'latency'?");
  EXPECT_ERROR_AT(sink("{type: file}"), 3, "sinks.0.path: missing in a sink (at line 3)");
  EXPECT_NO_THROW(
      load(kSource + "stages: [{bank: [box]}]\nsinks: [{type: file, path: o.ts, fourcc: avc1}]\n"));
}

TEST(PipelineRefs, GeometryWithKnownSize) {
  const std::string message = load_error(
      "source: {type: testpattern, width: 20, height: 20}\nstages:\n  - bank:\n"
      "      - {name: big, kernel: big31, border: valid}\n      - {name: s, kernel: box, stride: "
      "2}\n"
      "sinks: [{type: null, input: s}]\n");
  EXPECT_ERROR_AT(
      message, 4, "stages.0.bank.0", "filter 'big' (31x31 kernel, stride 1, border valid)",
      "leaves an empty 0x0 feature map for its 20x20 input", "expected a kernel that fits");
  const std::string combine = load_error(
      "source: {type: webcam, width: 40, height: 30}\nstages:\n  - bank: [sobel_x, {kernel: "
      "sobel_y, stride: 2}]\n"
      "    combine: {op: magnitude}\nsinks: [{type: null}]\n");
  EXPECT_ERROR_AT(combine, 4, "stages.0.combine: maps of different sizes for a 40x30 input",
                  "'sobel_x' 40x30", "'sobel_y' 20x15", "expected maps of one size");
  // A later stage sees the strided size.
  const std::string chain = load_error(
      "source: {type: testpattern, width: 64, height: 64}\nstages:\n  - bank: [{kernel: box, "
      "stride: 4}]\n"
      "  - bank: [{kernel: big31, border: valid}]\nsinks: [{type: null}]\n");
  EXPECT_ERROR_AT(chain, 4, "stages.1.bank.0", "for its 16x16 input");
}

TEST(PipelineRefs, GeometryForFilesAtLoadAndAtFirstFrame) {
  // Different strides never combine, whatever the frame size: caught at load.
  EXPECT_ERROR_AT(
      load_error("source: {type: file, path: a.mp4}\nstages:\n"
                 "  - bank: [sobel_x, {kernel: sobel_y, stride: 2}]\n    combine: {op: max}\n"
                 "sinks: [{type: null}]\n"),
      4, "maps of different sizes");
  const PipelineSpec spec = load(
      "source: {type: file, path: a.mp4}\nstages:\n"
      "  - bank: [{name: big, kernel: big31, border: valid, stride: 2}]\n"
      "sinks: [{type: null}]\n");
  EXPECT_NO_THROW(check_geometry(spec, 640, 480));
  try {
    check_geometry(spec, 30, 480);
    FAIL() << "accepted a frame narrower than the kernel";
  } catch (const PipelineError& e) {
    EXPECT_ERROR_AT(std::string(e.what()), 3, "filter 'big'",
                    "0x225 feature map for its 30x480 input");
  }
  EXPECT_THROW(check_geometry(spec, 0, 0), PipelineError);
}

}  // namespace
}  // namespace conveyor::testing
