// The `file` sink: exact FFV1 round trips, conversions, refusals, temporary
// files, folders, verification.
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgproc.hpp>

#include "conveyor/pipeline/errors.hpp"
#include "stage_test_support.hpp"
#include "support/clip_fixtures.hpp"

namespace conveyor::testing {
namespace {

namespace fs = std::filesystem;
using pipeline::OutputError;
const cv::Size kSize(64, 48);

std::unique_ptr<pipeline::Sink> open_sink(const fs::path& path, std::string fourcc = "") {
  auto sink = pipeline::make_sink(file_sink_spec(path, std::move(fourcc)));
  pipeline::SinkContext context;
  context.fps = 25;
  sink->open(context);
  return sink;
}

Drained read_back(const fs::path& path, config::ColorMode color = config::ColorMode::Bgr) {
  auto source = pipeline::make_source(file_source_spec(path, color));
  source->open();
  return drain(*source);
}

// Hidden temporary files left in `dir` (names starting with '.').
std::vector<fs::path> leftovers(const fs::path& dir) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().front() == '.') found.push_back(entry.path());
  return found;
}

TEST(FileSink, Ffv1RoundTripIsExactCompleteAndOrdered) {
  TempDir dir;
  const fs::path out = dir / "out.mkv";
  auto sink = open_sink(out);
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 15; ++i) {
    frames.push_back(clip_frame(i, kSize));
    sink->write(frames.back(), i);
  }
  sink->finish();
  EXPECT_EQ(sink->stats().written, 15);
  EXPECT_EQ(sink->stats().output, out.string());
  EXPECT_NE(sink->stats().notes.find("verified: 15 frames"), std::string::npos);
  const Drained got = read_back(out);
  ASSERT_EQ(got.frames.size(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_TRUE(identical(got.frames[i], frames[i]));
  EXPECT_TRUE(leftovers(dir.path()).empty());
}

TEST(FileSink, GrayAndFloatFramesReadBackAsTheirGray) {
  TempDir dir;
  auto sink = open_sink(dir / "gray.mkv");
  cv::Mat gray;
  cv::cvtColor(clip_frame(3, kSize), gray, cv::COLOR_BGR2GRAY);
  for (int i = 0; i < 3; ++i) sink->write(gray, i);
  sink->finish();
  const Drained got = read_back(dir / "gray.mkv");
  ASSERT_EQ(got.frames.size(), 3u);
  cv::Mat expected;
  cv::cvtColor(gray, expected, cv::COLOR_GRAY2BGR);
  EXPECT_TRUE(identical(got.frames[0], expected));

  auto floats = open_sink(dir / "float.mkv");
  cv::Mat map(kSize, CV_32FC1, cv::Scalar(-40.0f));
  map(cv::Rect(0, 0, 32, 48)).setTo(300.0f);
  map(cv::Rect(32, 0, 16, 48)).setTo(99.6f);
  floats->write(map, 0);
  floats->finish();
  const Drained back = read_back(dir / "float.mkv", config::ColorMode::Gray);
  ASSERT_EQ(back.frames.size(), 1u);
  EXPECT_EQ(back.frames[0].at<uchar>(0, 0), 255);   // saturated high
  EXPECT_EQ(back.frames[0].at<uchar>(0, 40), 100);  // rounded
  EXPECT_EQ(back.frames[0].at<uchar>(0, 60), 0);    // saturated low
}

// Gray maps go into lossy 4:2:0 files as luma only: black stays black, white
// stays white and the levels in between survive (a range mistake would
// shift or squeeze them by 16 levels or more).
TEST(FileSink, GrayLevelsSurviveLossyMp4AndAvi) {
  TempDir dir;
  cv::Mat gray(cv::Size(128, 64), CV_8UC1);
  for (int x = 0; x < gray.cols; ++x) gray.col(x).setTo(x * 2);  // a ramp, 0..254
  gray(cv::Rect(0, 0, 16, 16)).setTo(0);
  gray(cv::Rect(112, 0, 16, 16)).setTo(255);
  for (const char* name : {"gray.mp4", "gray.avi"}) {
    SCOPED_TRACE(name);
    auto sink = open_sink(dir / name);
    for (int i = 0; i < 5; ++i) sink->write(gray, i);
    sink->finish();
    EXPECT_NE(sink->stats().notes.find("verified: 5 frames"), std::string::npos);
    const Drained got = read_back(dir / name, config::ColorMode::Gray);
    ASSERT_EQ(got.frames.size(), 5u);
    const cv::Mat& back = got.frames[4];
    ASSERT_EQ(back.size(), gray.size());
    cv::Mat difference;
    cv::absdiff(back, gray, difference);
    EXPECT_LT(cv::mean(difference)[0], 2.5);
    EXPECT_LE(cv::mean(back(cv::Rect(4, 4, 8, 8)))[0], 3.0);      // black
    EXPECT_GE(cv::mean(back(cv::Rect(116, 4, 8, 8)))[0], 252.0);  // white
  }
}

TEST(FileSink, WrongFrameIsRefusedAndTheFileStillFinalised) {
  TempDir dir;
  auto sink = open_sink(dir / "out.mkv");
  sink->write(clip_frame(0, kSize), 0);
  EXPECT_THROW(sink->write(clip_frame(1, cv::Size(32, 48)), 1), OutputError);
  cv::Mat gray(kSize, CV_8UC1, cv::Scalar(9));
  EXPECT_THROW(sink->write(gray, 2), OutputError);
  sink->write(clip_frame(3, kSize), 3);
  sink->finish();
  EXPECT_EQ(sink->stats().written, 2);
  EXPECT_EQ(sink->stats().rejected, 2);
  const Drained got = read_back(dir / "out.mkv");
  ASSERT_EQ(got.frames.size(), 2u);
  EXPECT_EQ(clip_frame_index(got.frames[1]), 3);
}

TEST(FileSink, TemporaryFileIsNeverAtTheFinalPathAndAbortRemovesIt) {
  TempDir dir;
  const fs::path out = dir / "clip.mkv";
  auto sink = open_sink(out);
  EXPECT_TRUE(sink->temporary_files().empty());  // opens lazily
  sink->write(clip_frame(0, kSize), 0);
  const auto temporary = sink->temporary_files();
  ASSERT_EQ(temporary.size(), 1u);
  EXPECT_EQ(fs::path(temporary[0]).parent_path(), dir.path());
  EXPECT_EQ(fs::path(temporary[0]).extension(), ".mkv");
  EXPECT_TRUE(fs::exists(temporary[0]));
  EXPECT_FALSE(fs::exists(out));
  sink->write(clip_frame(1, kSize), 1);
  EXPECT_FALSE(fs::exists(out));
  sink->abort();
  EXPECT_FALSE(fs::exists(temporary[0]));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(sink->temporary_files().empty());
  EXPECT_TRUE(leftovers(dir.path()).empty());
}

// The emergency exit (a second Ctrl-C) runs on the signal watcher's thread:
// after it, no temporary file may appear, though the sink's thread goes on.
TEST(FileSink, AbandonRemovesTheTemporaryAndCreatesNoneAfter) {
  TempDir dir;
  auto started = open_sink(dir / "started.mkv");
  started->write(clip_frame(0, kSize), 0);
  ASSERT_EQ(started->temporary_files().size(), 1u);
  started->abandon_temporaries();
  EXPECT_TRUE(started->temporary_files().empty());
  EXPECT_TRUE(leftovers(dir.path()).empty());

  auto not_started = open_sink(dir / "later.mkv");  // opens its file at the first frame
  not_started->abandon_temporaries();
  EXPECT_THROW(not_started->write(clip_frame(0, kSize), 0), OutputError);
  EXPECT_TRUE(not_started->temporary_files().empty());
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(FileSink, DestroyedWithoutFinishLeavesNothing) {
  TempDir dir;
  {
    auto sink = open_sink(dir / "clip.mkv");
    sink->write(clip_frame(0, kSize), 0);
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(FileSink, MissingFolderIsCreated) {
  TempDir dir;
  const fs::path out = dir / "a" / "b" / "out.avi";
  auto sink = open_sink(out);
  EXPECT_TRUE(fs::is_directory(dir / "a" / "b"));
  for (int i = 0; i < 4; ++i) sink->write(clip_frame(i, kSize), i);
  sink->finish();
  const Drained got = read_back(out);  // MJPG: lossy, but the order survives
  ASSERT_EQ(got.frames.size(), 4u);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(clip_frame_index(got.frames[static_cast<std::size_t>(i)]), i);
}

TEST(FileSink, UnwritableLocationIsAnOutputError) {
  TempDir dir;
  std::ofstream(dir / "plain.txt") << "not a folder";
  const fs::path out = dir / "plain.txt" / "out.mkv";
  try {
    open_sink(out);
    FAIL() << "opened a sink under a regular file";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find(out.string()), std::string::npos) << e.what();
  }
  // No codec for the extension: refused when the sink's YAML is read.
  EXPECT_THROW(open_sink(dir / "out.xyz"), config::PipelineError);
}

TEST(FileSink, UnknownFourccNamesFileFourccAndContainer) {
  TempDir dir;
  auto sink = open_sink(dir / "out.mkv", "ZZZZ");
  try {
    sink->write(clip_frame(0, kSize), 0);
    FAIL() << "a writer with an unknown fourcc opened";
  } catch (const OutputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("out.mkv"), std::string::npos) << what;
    EXPECT_NE(what.find("ZZZZ"), std::string::npos) << what;
    EXPECT_NE(what.find(".mkv"), std::string::npos) << what;
  }
  EXPECT_TRUE(leftovers(dir.path()).empty());
}

TEST(FileSink, OddSizeIsPaddedNotCropped) {
  TempDir dir;
  const cv::Size odd(641, 481);
  auto sink = open_sink(dir / "odd.mkv");
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 3; ++i) {
    frames.push_back(clip_frame(i, odd));
    sink->write(frames.back(), i);
  }
  sink->finish();
  EXPECT_NE(sink->stats().notes.find("padded"), std::string::npos) << sink->stats().notes;
  const Drained got = read_back(dir / "odd.mkv");
  ASSERT_EQ(got.frames.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(got.frames[i].size(), cv::Size(642, 482));
    EXPECT_TRUE(identical(got.frames[i](cv::Rect(cv::Point(), odd)), frames[i]));
    // The extra column repeats the last one: no new edge at the border.
    EXPECT_TRUE(identical(got.frames[i].col(641).rowRange(0, 481), frames[i].col(640)));
  }
}

TEST(FileSink, Mp4AndAviDefaultsAreVerifiedToo) {
  TempDir dir;
  for (const char* name : {"out.mp4", "out.avi"}) {
    SCOPED_TRACE(name);
    auto sink = open_sink(dir / name);
    for (int i = 0; i < 20; ++i) sink->write(clip_frame(i, kSize), i);
    sink->finish();
    EXPECT_NE(sink->stats().notes.find("verified: 20 frames"), std::string::npos);
  }
}

TEST(FileSink, NoFramesWritesNothing) {
  TempDir dir;
  auto sink = open_sink(dir / "none.mkv");
  sink->finish();
  EXPECT_FALSE(fs::exists(dir / "none.mkv"));
  EXPECT_EQ(sink->stats().written, 0);
}

}  // namespace
}  // namespace conveyor::testing
