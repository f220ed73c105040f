// The `resize` stage: exact sizes, one side with the aspect ratio kept, a
// scale, the interpolation default, every map of a bank resized under its
// name, and its YAML errors.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "../../src/pipeline/run_state.hpp"
#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/config/sink_geometry.hpp"
#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

const std::string kSource = "source: {type: testpattern, width: 64, height: 48, frames: 2}\n";

config::PipelineSpec load(const std::string& stages, const std::string& sinks) {
  return config::load_pipeline_from_string(kSource + "stages:\n" + stages + "sinks: " + sinks,
                                           "resize.yaml");
}

std::string load_error(const std::string& stages) {
  return load_error_of(kSource + "stages:\n" + stages + "sinks: [{type: null}]\n", "resize.yaml");
}

cv::Mat random_frame() {
  cv::Mat frame(48, 64, CV_8UC1);
  cv::randu(frame, 0, 256);
  return frame;
}

struct Case {
  std::string stage;
  cv::Size size;
  int interpolation;
};

TEST(ResizeStage, SizesAndInterpolationAsWrittenOrByDefault) {
  const std::vector<Case> cases = {
      {"{type: resize, width: 40, height: 30}", {40, 30}, cv::INTER_AREA},
      {"{type: resize, width: 32}", {32, 24}, cv::INTER_AREA},     // 48 * 32/64
      {"{type: resize, height: 50}", {67, 50}, cv::INTER_LINEAR},  // 64 * 50/48 = 66.7
      {"{type: resize, scale: 0.5, interpolation: linear}", {32, 24}, cv::INTER_LINEAR},
      {"{type: resize, scale: 1.5}", {96, 72}, cv::INTER_LINEAR},
      {"{type: resize, width: 10, height: 100, interpolation: nearest}",
       {10, 100},
       cv::INTER_NEAREST},
      {"{type: resize, scale: 0.3, interpolation: cubic}", {19, 14}, cv::INTER_CUBIC},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.stage);
    const auto spec = load("  - " + c.stage + "\n", "[{type: null}]\n");
    const auto geometry = config::check_geometry(spec, 64, 48);
    ASSERT_TRUE(geometry[0].output.has_value());
    EXPECT_EQ(*geometry[0].output, (config::MapShape{c.size.width, c.size.height, 1, false}));
    const auto set = pipeline::make_stage_set(spec);
    const cv::Mat frame = random_frame();
    const cv::Mat out = set->stages[0]->process({frame, {}}).output;
    cv::Mat expected;
    cv::resize(frame, expected, c.size, 0, 0, c.interpolation);
    ASSERT_EQ(out.size(), c.size);
    EXPECT_EQ(cv::norm(out, expected, cv::NORM_INF), 0.0);
  }
}

TEST(ResizeStage, ResizesEveryMapOfABankUnderItsName) {
  const auto spec = load(
      "  - {name: edges, bank: [sobel_x, {kernel: sobel_y, stride: 2}]}\n"
      "  - {name: small, type: resize, width: 16}\n",
      "[{type: images, input: small.sobel_y, pattern: 'y_%04d.tiff'}, {type: null, input: "
      "small}]\n");
  EXPECT_EQ(spec.stages[1].map_names, (std::vector<std::string>{"sobel_x", "sobel_y"}));
  const auto inputs = config::sink_inputs(spec, 64, 48);
  EXPECT_EQ(inputs[0], (config::MapShape{16, 12, 1, true}));  // from 32x24: the aspect kept
  const auto set = pipeline::make_stage_set(spec);
  const auto first = set->stages[0]->process({random_frame(), {}});
  const auto second = set->stages[1]->process(first);
  ASSERT_EQ(second.maps.size(), 2u);
  EXPECT_EQ(second.maps[0].size(), cv::Size(16, 12));
  EXPECT_EQ(second.maps[1].size(), cv::Size(16, 12));
  EXPECT_EQ(second.maps[1].type(), CV_32FC1);
}

TEST(ResizeStage, YamlErrorsNameTheKeyAndWhatWasExpected) {
  EXPECT_TRUE(
      contains(load_error("  - {type: resize}\n"), "width and/or height in pixels, or scale"));
  EXPECT_TRUE(contains(load_error("  - {type: resize, scale: 0.5, width: 10}\n"),
                       "expected either scale, or width and/or height"));
  EXPECT_TRUE(contains(load_error("  - {type: resize, scale: 0}\n"), "above 0 and at most 16"));
  EXPECT_TRUE(contains(load_error("  - {type: resize, scale: 17}\n"), "above 0 and at most 16"));
  EXPECT_TRUE(contains(load_error("  - {type: resize, width: 0}\n"), "pixels from 1 to 16384"));
  EXPECT_TRUE(contains(load_error("  - {type: resize, width: 8, interpolation: bilinear}\n"),
                       "unknown interpolation 'bilinear'"));
  EXPECT_TRUE(contains(load_error("  - {type: resise, width: 8}\n"), "did you mean 'resize'?"));
}

}  // namespace
}  // namespace conveyor::testing::e2e
