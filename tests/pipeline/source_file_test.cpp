// The `file` source against clean clips, ranges, loops and damaged inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <opencv2/imgproc.hpp>

#include "conveyor/pipeline/errors.hpp"
#include "stage_test_support.hpp"
#include "support/clip_fixtures.hpp"

namespace conveyor::testing {
namespace {

using pipeline::InputError;

const cv::Size kSize(64, 48);

std::unique_ptr<pipeline::Source> opened(const config::SourceSpec& spec) {
  auto source = pipeline::make_source(spec);
  source->open();
  return source;
}

// The InputError message for opening `path`, or "" if none was thrown.
std::string open_error(const std::filesystem::path& path) {
  try {
    opened(file_source_spec(path));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(FileSource, ReadsEveryFfv1FrameExactlyAndInOrder) {
  TempDir dir;
  const auto written = write_ffv1_clip(dir / "clip.mkv", 12, kSize);
  auto source = opened(file_source_spec(dir / "clip.mkv"));
  const Drained got = drain(*source);
  ASSERT_TRUE(got.ended);
  ASSERT_EQ(got.frames.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    EXPECT_TRUE(identical(got.frames[i], written[i])) << "frame " << i;
    EXPECT_EQ(got.indices[i], static_cast<std::int64_t>(i));
    EXPECT_EQ(clip_frame_index(got.frames[i]), static_cast<int>(i));
  }
  const auto stats = source->stats();
  EXPECT_EQ(stats.frames, 12);
  EXPECT_EQ(stats.gaps, 0);
  EXPECT_EQ(stats.header_frames, 12);
  EXPECT_TRUE(stats.notes.empty()) << stats.notes;
  EXPECT_DOUBLE_EQ(source->fps(), 25.0);
  EXPECT_EQ(source->expected_frames(), 12);
  cv::Mat after;
  std::int64_t index = 0;
  EXPECT_EQ(source->read(after, index), pipeline::ReadStatus::End);  // End stays End
}

TEST(FileSource, ConvertsToGrayWhenAsked) {
  TempDir dir;
  const auto written = write_ffv1_clip(dir / "clip.mkv", 3, kSize);
  auto source = opened(file_source_spec(dir / "clip.mkv", config::ColorMode::Gray));
  const Drained got = drain(*source);
  ASSERT_EQ(got.frames.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    cv::Mat gray;
    cv::cvtColor(written[i], gray, cv::COLOR_BGR2GRAY);
    EXPECT_EQ(got.frames[i].type(), CV_8UC1);
    EXPECT_TRUE(identical(got.frames[i], gray));
  }
}

// A YUV video's gray frame is its luma plane, stretched to 0..255 when the
// video is TV-range: the same gray as the picture that was encoded.
TEST(FileSource, GrayFromYuvVideoIsThePicturesGray) {
  struct Case {
    const char* options;
    const char* what;
  };
  for (const Case c :
       {Case{"-pix_fmt yuv420p", "TV range 4:2:0"},
        Case{"-vf scale=out_range=full -pix_fmt yuv444p -color_range pc", "full range 4:4:4"},
        Case{"-pix_fmt gray", "plain gray"}}) {
    SCOPED_TRACE(c.what);
    TempDir dir;
    const auto written = write_ffv1_clip_cli(dir / "yuv.mkv", 4, cv::Size(161, 91), c.options);
    if (written.empty()) GTEST_SKIP() << "ffmpeg is not installed";
    auto source = opened(file_source_spec(dir / "yuv.mkv", config::ColorMode::Gray));
    const Drained got = drain(*source);
    ASSERT_EQ(got.frames.size(), written.size());
    for (std::size_t i = 0; i < written.size(); ++i) {
      cv::Mat expected;
      cv::cvtColor(written[i], expected, cv::COLOR_BGR2GRAY);
      ASSERT_EQ(got.frames[i].type(), CV_8UC1);
      ASSERT_EQ(got.frames[i].size(), expected.size());
      cv::Mat difference;
      cv::absdiff(got.frames[i], expected, difference);
      double worst = 0;
      cv::minMaxLoc(difference, nullptr, &worst);
      EXPECT_LE(worst, 2.0) << "frame " << i;  // rounding in 8-bit Y, not a range error
      EXPECT_LT(cv::mean(difference)[0], 0.75) << "frame " << i;
    }
  }
}

// Portrait video stored as rotated landscape (a display matrix, as phones
// write it) comes out upright, exactly as the ffmpeg tool turns it.
TEST(FileSource, RotatedVideoComesOutUprightAsFfmpegShowsIt) {
  for (const int degrees : {90, 180, 270}) {
    SCOPED_TRACE(degrees);
    TempDir dir;
    if (write_ffv1_clip_cli(dir / "flat.mkv", 3, cv::Size(96, 64)).empty())
      GTEST_SKIP() << "ffmpeg is not installed";
    const auto turned = dir / "turned.mov";
    const auto raw = dir / "upright.bgr";
    const std::string remux = "ffmpeg -v error -nostdin -y -i " + yaml_quoted(dir / "flat.mkv") +
                              " -c copy -metadata:s:v:0 rotate=" + std::to_string(degrees) + " " +
                              yaml_quoted(turned);
    const std::string upright = "ffmpeg -v error -nostdin -y -i " + yaml_quoted(turned) +
                                " -f rawvideo -pix_fmt bgr24 " + yaml_quoted(raw);
    ASSERT_EQ(std::system(remux.c_str()), 0) << remux;
    ASSERT_EQ(std::system(upright.c_str()), 0) << upright;
    std::ifstream in(raw, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};

    auto source = opened(file_source_spec(turned));
    EXPECT_NE(source->describe().find("degrees upright"), std::string::npos) << source->describe();
    const Drained got = drain(*source);
    ASSERT_EQ(got.frames.size(), 3u);
    const cv::Size size = degrees == 180 ? cv::Size(96, 64) : cv::Size(64, 96);
    ASSERT_EQ(bytes.size(), 3u * static_cast<std::size_t>(size.area()) * 3);
    for (std::size_t i = 0; i < 3; ++i) {
      const cv::Mat expected(size, CV_8UC3, const_cast<char*>(bytes.data()) + i * size.area() * 3);
      ASSERT_EQ(got.frames[i].size(), size) << "frame " << i;
      EXPECT_TRUE(identical(got.frames[i], expected)) << "frame " << i;
    }
  }
}

TEST(FileSource, OddSizeSurvivesExactly) {
  TempDir dir;
  const auto written = write_ffv1_clip_cli(dir / "odd.mkv", 5, cv::Size(641, 481));
  if (written.empty()) GTEST_SKIP() << "ffmpeg is not installed";
  auto source = opened(file_source_spec(dir / "odd.mkv"));
  const Drained got = drain(*source);
  ASSERT_EQ(got.frames.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    EXPECT_EQ(got.frames[i].size(), cv::Size(641, 481));
    EXPECT_TRUE(identical(got.frames[i], written[i])) << "frame " << i;
  }
}

TEST(FileSource, StartAndEndSelectARangeByGrabbing) {
  TempDir dir;
  const auto written = write_ffv1_clip(dir / "clip.mkv", 12, kSize);
  auto source =
      opened(file_source_spec(dir / "clip.mkv", config::ColorMode::Bgr, ", start: 3, end: 8"));
  EXPECT_EQ(source->expected_frames(), 5);
  const Drained got = drain(*source);
  ASSERT_EQ(got.frames.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(got.indices[i], static_cast<std::int64_t>(i + 3));
    EXPECT_TRUE(identical(got.frames[i], written[i + 3]));
  }
}

TEST(FileSource, StartPastTheEndIsAnInputError) {
  TempDir dir;
  write_ffv1_clip(dir / "clip.mkv", 4, kSize);
  EXPECT_THROW(opened(file_source_spec(dir / "clip.mkv", config::ColorMode::Bgr, ", start: 10")),
               InputError);
}

TEST(FileSource, LoopRewindsAtTheEnd) {
  TempDir dir;
  const auto written = write_ffv1_clip(dir / "clip.mkv", 6, kSize);
  auto source = opened(
      file_source_spec(dir / "clip.mkv", config::ColorMode::Bgr, ", start: 1, end: 4, loop: true"));
  EXPECT_FALSE(source->expected_frames().has_value());
  const Drained got = drain(*source, 10);
  ASSERT_EQ(got.frames.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    const auto expected = static_cast<std::int64_t>(1 + i % 3);
    EXPECT_EQ(got.indices[i], expected);
    EXPECT_TRUE(identical(got.frames[i], written[static_cast<std::size_t>(expected)]));
  }
}

TEST(FileSource, AbsurdHeaderFpsFallsBackTo30) {
  TempDir dir;
  write_ffv1_clip(dir / "slow.mkv", 2, kSize, 0.5);
  EXPECT_DOUBLE_EQ(opened(file_source_spec(dir / "slow.mkv"))->fps(), 30.0);
}

TEST(FileSource, BadInputsAreInputErrorsNamingPathAndReason) {
  TempDir dir;
  const auto missing = dir / "missing.mkv";
  std::string what = open_error(missing);
  EXPECT_NE(what.find(missing.string()), std::string::npos) << what;
  EXPECT_NE(what.find("no such file"), std::string::npos) << what;

  write_zero_byte_file(dir / "empty.mkv");
  what = open_error(dir / "empty.mkv");
  EXPECT_NE(what.find((dir / "empty.mkv").string()), std::string::npos) << what;
  EXPECT_NE(what.find("empty"), std::string::npos) << what;

  what = open_error(dir.path());
  EXPECT_NE(what.find(dir.path().string()), std::string::npos) << what;
  EXPECT_NE(what.find("directory"), std::string::npos) << what;

  write_random_bytes(dir / "noise.mkv", 64 * 1024);
  what = open_error(dir / "noise.mkv");
  EXPECT_NE(what.find((dir / "noise.mkv").string()), std::string::npos) << what;
}

TEST(FileSource, Mp4WithoutIndexSaysSo) {
  TempDir dir;
  ASSERT_TRUE(write_mp4_without_index(dir / "cut.mp4", 20, kSize));
  const std::string what = open_error(dir / "cut.mp4");
  EXPECT_NE(what.find((dir / "cut.mp4").string()), std::string::npos) << what;
  EXPECT_NE(what.find("moov"), std::string::npos) << what;
}

TEST(FileSource, TruncatedMkvYieldsDecodableFramesThenEnds) {
  TempDir dir;
  const auto written = write_ffv1_clip(dir / "full.mkv", 30, kSize);
  write_truncated_copy(dir / "full.mkv", dir / "cut.mkv", 0.6);
  const auto start = std::chrono::steady_clock::now();
  auto source = opened(file_source_spec(dir / "cut.mkv"));
  const Drained got = drain(*source);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  ASSERT_TRUE(got.ended);
  EXPECT_GT(got.frames.size(), 5u);
  EXPECT_LT(got.frames.size(), 30u);
  for (std::size_t i = 0; i + 1 < got.frames.size(); ++i) {
    EXPECT_TRUE(identical(got.frames[i], written[i])) << "frame " << i;
  }
  EXPECT_NE(source->stats().notes.find("header said 30"), std::string::npos)
      << source->stats().notes;
}

TEST(FileSource, H264GarbageBecomesGapsWhenReadingRecovers) {
  TempDir dir;
  if (!write_h264_with_garbage(dir / "bad.mp4")) GTEST_SKIP() << "ffmpeg with libx264 needed";
  auto spec = file_source_spec(dir / "bad.mp4", config::ColorMode::Bgr, ", read_retries: 50");
  const auto start = std::chrono::steady_clock::now();
  auto source = opened(spec);
  const Drained got = drain(*source);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  ASSERT_TRUE(got.ended);
  EXPECT_GE(got.gaps.size(), 1u);
  EXPECT_GE(got.frames.size(), 50u);
  EXPECT_LE(got.frames.size() + got.gaps.size(), 100u);
  // Every index is used once: gaps and frames interleave without collisions.
  std::vector<std::int64_t> all = got.indices;
  all.insert(all.end(), got.gaps.begin(), got.gaps.end());
  std::sort(all.begin(), all.end());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], static_cast<std::int64_t>(i));
  EXPECT_EQ(source->stats().gaps, static_cast<std::int64_t>(got.gaps.size()));

  // With few retries the same file ends early, still promptly and cleanly.
  auto strict = file_source_spec(dir / "bad.mp4", config::ColorMode::Bgr, ", read_retries: 0");
  auto early = opened(strict);
  const Drained cut = drain(*early);
  EXPECT_TRUE(cut.ended);
  EXPECT_TRUE(cut.gaps.empty());
  EXPECT_LE(cut.frames.size(), got.frames.size());
}

}  // namespace
}  // namespace conveyor::testing
