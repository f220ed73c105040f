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
  return set->stages.front()->process(frame);
}

TEST(StagePictures, NullSinkGetsMapsButNoPictures) {
  const StageOutput out = run_first_stage("{ type: null, input: features }");
  EXPECT_EQ(out.maps.size(), 3u);
  EXPECT_TRUE(out.output.empty());
  EXPECT_TRUE(out.map_images.empty());
}

TEST(StagePictures, ImagesSinkGetsOnePicturePerMapForItsMosaic) {
  const StageOutput out =
      run_first_stage("{ type: images, input: features, pattern: 'out/m_%04d.png' }");
  ASSERT_EQ(out.maps.size(), 3u);
  ASSERT_EQ(out.map_images.size(), 3u);
  for (std::size_t i = 0; i < out.maps.size(); ++i) {
    EXPECT_EQ(out.map_images[i].cols, out.maps[i].width);
    EXPECT_EQ(out.map_images[i].rows, out.maps[i].height);
  }
}

TEST(StagePictures, NullSinkOnOneMapStillGetsPictures) {
  // A null sink beside an images sink of one map: that map's picture is made.
  const StageOutput out = run_first_stage(
      "{ type: null, input: features }\n"
      "  - { type: images, input: features.sobel_y, pattern: 'out/y_%04d.png' }");
  ASSERT_EQ(out.map_images.size(), 3u);
  EXPECT_FALSE(out.map_images[1].empty());
}

}  // namespace
}  // namespace conveyor::pipeline
