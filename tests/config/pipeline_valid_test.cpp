// Valid pipelines load with the documented defaults and resolved references.
#include <filesystem>

#include "conveyor/config/node_registry.hpp"
#include "pipeline_test_util.hpp"
#include "support/paths.hpp"

namespace conveyor::testing {
namespace {

using namespace conveyor::config;

TEST(PipelineValid, MinimalGetsDefaults) {
  const PipelineSpec spec = load(minimal());
  EXPECT_EQ(spec.name, "test");
  ASSERT_EQ(spec.source.type, "testpattern");
  ASSERT_TRUE(spec.source.known_size().has_value());
  EXPECT_EQ(spec.source.known_size()->width, 64);
  EXPECT_EQ(spec.source.nominal_fps(), 30);
  EXPECT_EQ(spec.source.pace, Pace::None);
  EXPECT_EQ(spec.source.color, ColorMode::Gray);
  ASSERT_EQ(spec.stages.size(), 1u);
  EXPECT_EQ(spec.stages[0].name, "stage0");
  EXPECT_EQ(spec.stages[0].type, "convolve");
  EXPECT_EQ(spec.stages[0].color, ColorMode::Gray);
  EXPECT_TRUE(spec.stages[0].single_output);
  const auto& stage = spec.stages[0].as<ConvolveParams>();
  ASSERT_EQ(stage.filters.size(), 1u);
  EXPECT_EQ(stage.filters[0].name, "gx");
  EXPECT_EQ(stage.filters[0].kernel.width, 3);
  EXPECT_EQ(stage.filters[0].border, conv::Border::Reflect);
  EXPECT_EQ(stage.filters[0].stride_x, 1);
  EXPECT_TRUE(stage.single_output());
  ASSERT_EQ(spec.sinks.size(), 1u);
  EXPECT_EQ(spec.sinks[0].type, "null");
  EXPECT_EQ(spec.sinks[0].name, "null");
  EXPECT_EQ(spec.sinks[0].map.stage, 0);
  EXPECT_EQ(spec.sinks[0].map.filter, -1);
  EXPECT_EQ(spec.runtime.threads, 0);
  EXPECT_EQ(spec.runtime.max_in_flight, 4);
  EXPECT_EQ(spec.runtime.mode, RunMode::Latency);
  EXPECT_EQ(spec.runtime.max_drop_ratio, 0.0);
  EXPECT_TRUE(spec.metrics.report.empty());
}

TEST(PipelineValid, FullExampleResolvesEverything) {
  const PipelineSpec spec = load(R"(name: edges
source: { type: webcam, device: /dev/video2, width: 320, height: 240, fps: 15, fourcc: MJPG }
stages:
  - name: edges
    color: gray
    stride: 1
    border: replicate
    bank:
      - { name: gx, kernel: sobel_x }
      - { name: gy, kernel: sobel_y }
      - { name: soft, kernel: { gaussian: { size: 5, sigma: 1.2 } } }
      - { name: mine, weights: [[0,-1,0],[-1,5,-1],[0,-1,0]], border: reflect, flip: true }
      - { name: even, weights: [[1, -1]], anchor: [0, 0], border: zero }
    combine: { op: magnitude, inputs: [gx, gy] }
    post: { normalize: abs_scale, scale: 0.5, threshold: 40 }
  - name: smooth
    bank: [box]
sinks:
  - { type: display, title: Edges, overlay: [fps, latency, drops] }
  - { type: file, path: out/edges.mkv }
  - { type: images, pattern: out/gx_%05d.tif, input: edges.gx }
  - { type: file, path: out/raw.avi, input: source }
runtime: { threads: 2, max_in_flight: 3, mode: throughput, tile: {width: 64, height: 32} }
metrics: { report: out/latency.json, trace: out/frames.csv }
)");
  EXPECT_EQ(spec.name, "edges");
  EXPECT_EQ(spec.source.params->describe(), "/dev/video2");
  EXPECT_TRUE(spec.source.is_live());
  EXPECT_EQ(spec.runtime.max_drop_ratio, 1.0);  // live default
  const auto& edges = spec.stages[0].as<ConvolveParams>();
  ASSERT_EQ(edges.filters.size(), 5u);
  EXPECT_EQ(edges.filters[0].border, conv::Border::Replicate);  // bank default
  EXPECT_EQ(edges.filters[2].kernel.width, 5);
  EXPECT_TRUE(edges.filters[3].flip);
  EXPECT_EQ(edges.filters[4].kernel.anchor_col(), 0);
  ASSERT_TRUE(edges.combine.has_value());
  EXPECT_EQ(edges.combine->input_indices, (std::vector<int>{0, 1}));
  ASSERT_TRUE(edges.post.has_value());
  EXPECT_EQ(edges.post->normalize, Normalize::AbsScale);
  EXPECT_TRUE(edges.post->to_u8);
  EXPECT_EQ(edges.post->threshold.value_or(0), 40.0f);
  EXPECT_EQ(spec.stages[1].as<ConvolveParams>().filters[0].name, "box");
  EXPECT_EQ(spec.sinks[1].params->describe(), "out/edges.mkv (FFV1)");  // default fourccs
  EXPECT_EQ(spec.sinks[3].params->describe(), "out/raw.avi (MJPG)");
  EXPECT_EQ(spec.sinks[1].name, "file1");
  EXPECT_EQ(spec.sinks[2].map.stage, 0);
  EXPECT_EQ(spec.sinks[2].map.filter, 0);
  EXPECT_EQ(spec.sinks[3].map.stage, -1);
  EXPECT_EQ(spec.sinks[0].map.stage, 1);
  EXPECT_EQ(spec.runtime.threads, 2);
  EXPECT_EQ(spec.runtime.tile_width, 64);
  EXPECT_EQ(spec.metrics.trace, "out/frames.csv");
  // Positions: every struct knows its line.
  EXPECT_EQ(spec.stages[0].as<ConvolveParams>().bank[1].where.mark.line, 10);
  EXPECT_EQ(spec.sinks[1].where.of("path").line, 20);
  EXPECT_EQ(spec.sinks[1].where.of("path").file, "test.yaml");
}

TEST(PipelineValid, FileSourceDefaultsAndCheckGeometryLater) {
  const PipelineSpec spec = load(R"(source: {type: file, path: clip.mp4, end: 100}
stages: [{bank: [{name: big, kernel: big31, border: valid, stride: [2, 3]}]}]
sinks: [{type: file, path: out.mp4, fps: 25}]
)");
  EXPECT_EQ(spec.source.params->describe(), "clip.mp4");
  EXPECT_FALSE(spec.source.known_size().has_value());
  EXPECT_EQ(spec.stages[0].as<ConvolveParams>().filters[0].stride_y, 3);
  EXPECT_EQ(spec.sinks[0].params->describe(), "out.mp4 (mp4v)");
  const auto geometry = check_geometry(spec, 101, 64);
  ASSERT_EQ(geometry.size(), 1u);
  EXPECT_EQ(geometry[0].maps[0].width, 36);   // (101 - 31) / 2 + 1
  EXPECT_EQ(geometry[0].maps[0].height, 12);  // (64 - 31) / 3 + 1
  ASSERT_EQ(geometry[0].inputs.size(), 1u);
  EXPECT_FALSE(geometry[0].inputs[0].is_float);  // captured frames are 8-bit
}

TEST(PipelineValid, BankShorthandAndKernelDefaultName) {
  const PipelineSpec spec = load(R"(source: {type: testpattern}
stages: [{bank: [sobel_x, {kernel: sobel_y}], combine: {op: weighted_sum, weights: [0.5, 2]}}]
sinks: [{type: display}, {type: null, input: sobel_y}]
)");
  EXPECT_EQ(spec.stages[0].as<ConvolveParams>().bank[0].name, "sobel_x");
  EXPECT_EQ(spec.stages[0].as<ConvolveParams>().bank[1].name, "sobel_y");
  EXPECT_EQ(spec.stages[0].as<ConvolveParams>().combine->weights, (std::vector<float>{0.5f, 2.0f}));
  EXPECT_EQ(spec.sinks[1].map.filter, 1);
}

TEST(PipelineValid, ImagesSourceAndGStreamer) {
  auto spec =
      load(R"(source: {type: images, pattern: "in/*.png", fps: 12, pace: realtime, color: bgr}
stages: [{bank: [identity], color: bgr}]
sinks: [{type: images, pattern: out/f_%04d.png}]
)");
  EXPECT_EQ(spec.source.pace, Pace::Realtime);
  EXPECT_EQ(spec.stages[0].color, ColorMode::Bgr);
  spec = load(
      R"(source: {type: gstreamer, pipeline: "videotestsrc ! videoconvert ! appsink", is_live: true}
stages: [{bank: [identity]}]
sinks: [{type: null}]
)");
  EXPECT_TRUE(spec.source.is_live());
}

TEST(PipelineValid, StackedMapsGoToSinks) {
  const PipelineSpec spec = load(R"(source: {type: testpattern, width: 32, height: 32}
stages: [{bank: [sobel_x, sobel_y]}]
sinks: [{type: display}]
)");
  EXPECT_FALSE(spec.stages[0].as<ConvolveParams>().single_output());
  EXPECT_EQ(spec.sinks[0].map.filter, -1);
}

TEST(PipelineValid, IncludeKernelsResolveAgainstThePipelineFolder) {
  const PipelineSpec spec = load_pipeline(config_data("include_test.yaml"), {}, &test_library());
  EXPECT_EQ(spec.name, "include_test");
  ASSERT_EQ(spec.include_kernels.size(), 1u);
  EXPECT_EQ(spec.include_kernels[0].filename(), "extra_kernels.yaml");
  EXPECT_EQ(spec.stages[0].as<ConvolveParams>().filters[0].kernel.width, 3);
}

TEST(PipelineValid, ShippedPipelinesLoadWithTheDefaultLibrary) {
  const KernelLibrary library = KernelLibrary::load_default();
  const std::filesystem::path folder = std::filesystem::path(source_dir()) / "pipelines";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    try {
      const PipelineSpec spec = load_pipeline(entry.path(), {}, &library);
      EXPECT_FALSE(spec.name.empty());
      EXPECT_FALSE(spec.stages.empty());
    } catch (const PipelineError& e) {
      ADD_FAILURE() << e.what();
    }
  }
  EXPECT_GT(count, 0);
}

}  // namespace
}  // namespace conveyor::testing
