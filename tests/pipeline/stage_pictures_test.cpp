// Which pictures a stage makes depends on who looks at them: a stage that
// keeps several maps draws one picture per map for the mosaic of an images,
// file or display sink, but not for a null sink, which only counts frames
// (a run measured with a null sink then times the filters, not the drawing).
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <string>

#include "../../src/pipeline/run_state.hpp"
#include "conveyor/config/pipeline_loader.hpp"

namespace conveyor::pipeline {
namespace {

std::string pipeline_with_sink(const std::string& sink) {
  return "name: pictures\n"
         "source: { type: testpattern, width: 64, height: 48, frames: 1 }\n"
         "stages:\n"
         "  - name: features\n"
         "    bank: [sobel_x, sobel_y, laplacian]\n"
         "sinks:\n"
         "  - " +
         sink + "\n";
}

StageOutput run_first_stage(const std::string& sink) {
  const config::PipelineSpec spec =
      config::load_pipeline_from_string(pipeline_with_sink(sink), "pictures.yaml");
  const auto set = make_stage_set(spec);
  cv::Mat frame(48, 64, CV_8UC1);
  cv::randu(frame, 0, 256);
  return set->stages.front()->process(StageOutput{frame, {}});
}

TEST(StagePictures, NullSinkGetsNoPictures) {
  const StageOutput out = run_first_stage("{ type: null, input: features }");
  EXPECT_TRUE(out.output.empty());
  EXPECT_TRUE(out.maps.empty());
}

TEST(StagePictures, ImagesSinkGetsOnePicturePerMapForItsMosaic) {
  const StageOutput out =
      run_first_stage("{ type: images, input: features, pattern: 'out/m_%04d.png' }");
  ASSERT_EQ(out.maps.size(), 3u);
  for (const cv::Mat& picture : out.maps) {
    EXPECT_EQ(picture.cols, 64);  // reflect border, stride 1: the input's size
    EXPECT_EQ(picture.rows, 48);
  }
}

TEST(StagePictures, NullSinkOnOneMapStillGetsPictures) {
  // A null sink beside an images sink of one map: that map's picture is made.
  const StageOutput out = run_first_stage(
      "{ type: null, input: features }\n"
      "  - { type: images, input: features.sobel_y, pattern: 'out/y_%04d.png' }");
  ASSERT_EQ(out.maps.size(), 3u);
  EXPECT_FALSE(out.maps[1].empty());
}

}  // namespace
}  // namespace conveyor::pipeline
