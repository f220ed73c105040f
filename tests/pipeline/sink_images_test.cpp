// The `images` and `null` sinks.
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "conveyor/pipeline/errors.hpp"
#include "stage_test_support.hpp"
#include "support/clip_fixtures.hpp"

namespace conveyor::testing {
namespace {

namespace fs = std::filesystem;
using pipeline::OutputError;

std::unique_ptr<pipeline::Sink> open_images_sink(const std::string& pattern) {
  auto sink = pipeline::make_sink(
      config::read_sink_yaml("{type: images, pattern: " + yaml_quoted(pattern) + "}"));
  sink->open({});
  return sink;
}

TEST(ImagesSink, PngRoundTripThroughTheImagesSource) {
  TempDir dir;
  auto sink = open_images_sink((dir / "out" / "gx_%05d.png").string());
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 4; ++i) {
    frames.push_back(clip_frame(i, cv::Size(64, 32)));
    sink->write(frames.back(), i + 10);
  }
  sink->finish();
  EXPECT_EQ(sink->stats().written, 4);
  EXPECT_TRUE(fs::exists(dir / "out" / "gx_00010.png"));
  EXPECT_TRUE(fs::exists(dir / "out" / "gx_00013.png"));

  auto source = pipeline::make_source(source_yaml(
      "{type: images, pattern: " + yaml_quoted((dir / "out" / "gx_*.png").string()) + "}"));
  source->open();
  const Drained got = drain(*source);
  ASSERT_EQ(got.frames.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(identical(got.frames[i], frames[i]));
  for (const auto& entry : fs::directory_iterator(dir / "out"))
    EXPECT_NE(entry.path().filename().string().front(), '.') << "temporary file left";
}

TEST(ImagesSink, FloatTiffKeepsValuesPngSaturates) {
  TempDir dir;
  cv::Mat map(16, 24, CV_32FC1);
  cv::randu(map, -500.0f, 500.0f);
  map.at<float>(0, 0) = 0.123456f;
  auto tiff = open_images_sink((dir / "raw_%d.tif").string());
  tiff->write(map, 0);
  const cv::Mat back = cv::imread((dir / "raw_0.tif").string(), cv::IMREAD_UNCHANGED);
  EXPECT_TRUE(identical(back, map));

  cv::Mat color(16, 24, CV_32FC3);
  cv::randu(color, -1.0f, 1.0f);
  auto tiff3 = open_images_sink((dir / "rgb_%d.tiff").string());
  tiff3->write(color, 0);
  EXPECT_TRUE(identical(cv::imread((dir / "rgb_0.tiff").string(), cv::IMREAD_UNCHANGED), color));

  auto png = open_images_sink((dir / "map_%d.png").string());
  png->write(map, 0);
  const cv::Mat eight = cv::imread((dir / "map_0.png").string(), cv::IMREAD_UNCHANGED);
  cv::Mat expected;
  map.convertTo(expected, CV_8U);
  EXPECT_TRUE(identical(eight, expected));
}

TEST(ImagesSink, BadPatternsAndPlacesAreOutputErrors) {
  TempDir dir;
  // Patterns without exactly one number field are refused when read.
  EXPECT_THROW(open_images_sink((dir / "no_number.png").string()), config::PipelineError);
  EXPECT_THROW(open_images_sink((dir / "two_%d_%d.png").string()), config::PipelineError);
  std::ofstream(dir / "file") << "x";
  EXPECT_THROW(open_images_sink((dir / "file" / "f_%d.png").string()), OutputError);
  auto sink = open_images_sink((dir / "f_%d.png").string());
  EXPECT_THROW(sink->write(cv::Mat(), 0), OutputError);
  // A format the encoder refuses for this data: imwrite fails, nothing is left.
  auto jpeg = open_images_sink((dir / "f_%d.jpg").string());
  EXPECT_THROW(jpeg->write(cv::Mat::zeros(8, 8, CV_8UC(5)), 0), OutputError);
  EXPECT_FALSE(fs::exists(dir / "f_0.jpg"));
  EXPECT_EQ(jpeg->stats().rejected, 1);
}

// After the emergency exit's abandon_temporaries(), a frame still being
// written on the sink's thread leaves no file, temporary or final.
TEST(ImagesSink, AbandonedSinkWritesNothing) {
  TempDir dir;
  auto sink = open_images_sink((dir / "f_%d.png").string());
  sink->write(cv::Mat::zeros(8, 8, CV_8UC1), 0);
  sink->abandon_temporaries();
  EXPECT_THROW(sink->write(cv::Mat::zeros(8, 8, CV_8UC1), 1), OutputError);
  EXPECT_EQ(sink->stats().rejected, 1);
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir.path()))
    files.push_back(entry.path().filename().string());
  EXPECT_EQ(files, std::vector<std::string>{"f_0.png"});  // written before the abort
}

TEST(NullSink, CountsFrames) {
  auto sink = pipeline::make_sink(config::read_sink_yaml("{type: null}"));
  sink->open({});
  for (int i = 0; i < 5; ++i) sink->write(cv::Mat(2, 2, CV_8UC1), i);
  sink->finish();
  EXPECT_EQ(sink->stats().written, 5);
  EXPECT_TRUE(sink->temporary_files().empty());
}

}  // namespace
}  // namespace conveyor::testing
