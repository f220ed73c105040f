// The `images` source: globs, printf patterns, single images, bad files.
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "conveyor/pipeline/errors.hpp"
#include "stage_test_support.hpp"
#include "support/clip_fixtures.hpp"

namespace conveyor::testing {
namespace {

using pipeline::InputError;
const cv::Size kSize(64, 32);

std::unique_ptr<pipeline::Source> open_images(const std::string& pattern,
                                              config::ColorMode color = config::ColorMode::Bgr) {
  auto source = pipeline::make_source(
      source_yaml("{type: images, pattern: " + yaml_quoted(pattern) + "}", color));
  source->open();
  return source;
}

// Writes clip frames `indices` as name_<index>.png (printf-style, `digits` wide).
void write_pngs(const std::filesystem::path& dir, const std::string& stem,
                const std::vector<int>& indices, int digits) {
  for (const int i : indices) {
    std::string number = std::to_string(i);
    number.insert(
        0, static_cast<std::size_t>(std::max(0, digits - static_cast<int>(number.size()))), '0');
    ASSERT_TRUE(cv::imwrite((dir / (stem + number + ".png")).string(), clip_frame(i, kSize)));
  }
}

std::vector<int> order_of(const Drained& got) {
  std::vector<int> order;
  for (const auto& f : got.frames) order.push_back(clip_frame_index(f));
  return order;
}

TEST(ImagesSource, GlobSortsNamesNaturally) {
  TempDir dir;
  write_pngs(dir.path(), "f", {1, 2, 10, 9}, 0);                                 // f1 f2 f9 f10
  write_pngs(dir.path(), ".f", {5}, 0);                                          // hidden: skipped
  ASSERT_TRUE(cv::imwrite((dir / "other.jpg").string(), clip_frame(7, kSize)));  // no match
  auto source = open_images((dir / "f*.png").string());
  EXPECT_EQ(source->expected_frames(), 4);
  const Drained got = drain(*source);
  EXPECT_EQ(order_of(got), (std::vector<int>{1, 2, 9, 10}));
  EXPECT_EQ(got.indices, (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_TRUE(identical(got.frames[0], clip_frame(1, kSize)));  // PNG is lossless
}

TEST(ImagesSource, QuestionMarkMatchesOneCharacter) {
  TempDir dir;
  write_pngs(dir.path(), "f", {3, 12}, 0);
  EXPECT_EQ(order_of(drain(*open_images((dir / "f?.png").string()))), std::vector<int>{3});
}

// Gaps do not end a sequence (docs/pipelines.md): every file with the
// pattern's shape is read, in number order, and the first gap is noted.
TEST(ImagesSource, PrintfPatternReadsPastGapsInNumberOrder) {
  TempDir dir;
  write_pngs(dir.path(), "frame_", {0, 1, 2, 4, 12, 10}, 4);
  write_pngs(dir.path(), "frame_", {3}, 0);  // frame_3.png: not the pattern's shape
  auto source = open_images((dir / "frame_%04d.png").string());
  EXPECT_EQ(order_of(drain(*source)), (std::vector<int>{0, 1, 2, 4, 10, 12}));
  const std::string notes = source->stats().notes;
  EXPECT_NE(notes.find("/frame_0003.png' is missing"), std::string::npos) << notes;
  EXPECT_NE(notes.find("the 3 file(s) after it are read"), std::string::npos) << notes;
  EXPECT_NE(notes.find("3 gaps in all, 7 numbers missing"), std::string::npos) << notes;
}

TEST(ImagesSource, GlobNotesNumberingGapsToo) {
  TempDir dir;
  write_pngs(dir.path(), "g_", {1, 2, 5, 6}, 0);
  auto source = open_images((dir / "g_*.png").string());
  EXPECT_EQ(order_of(drain(*source)), (std::vector<int>{1, 2, 5, 6}));
  const std::string notes = source->stats().notes;
  EXPECT_NE(notes.find("/g_3.png' is missing (and 1 more after it)"), std::string::npos) << notes;
  EXPECT_NE(notes.find("the 2 file(s) after it are read"), std::string::npos) << notes;
}

TEST(ImagesSource, PrintfPatternMayStartAtOne) {
  TempDir dir;
  write_pngs(dir.path(), "img", {1, 2, 3}, 3);
  EXPECT_EQ(order_of(drain(*open_images((dir / "img%03d.png").string()))),
            (std::vector<int>{1, 2, 3}));
}

TEST(ImagesSource, SingleImageIsOneFrameInTheRequestedColor) {
  TempDir dir;
  write_pngs(dir.path(), "one", {5}, 0);
  const Drained got = drain(*open_images((dir / "one5.png").string(), config::ColorMode::Gray));
  ASSERT_EQ(got.frames.size(), 1u);
  cv::Mat gray;
  cv::cvtColor(clip_frame(5, kSize), gray, cv::COLOR_BGR2GRAY);
  EXPECT_TRUE(identical(got.frames[0], gray));
}

TEST(ImagesSource, SixteenBitAndAlphaAreNormalised) {
  TempDir dir;
  cv::Mat deep(kSize, CV_16UC4, cv::Scalar(65535, 257 * 10, 0, 65535));
  ASSERT_TRUE(cv::imwrite((dir / "deep.png").string(), deep));
  const Drained got = drain(*open_images((dir / "deep.png").string()));
  ASSERT_EQ(got.frames.size(), 1u);
  EXPECT_EQ(got.frames[0].type(), CV_8UC3);
  EXPECT_EQ(got.frames[0].at<cv::Vec3b>(0, 0), cv::Vec3b(255, 10, 0));
}

TEST(ImagesSource, UnreadableImageMidSequenceIsAGap) {
  TempDir dir;
  write_pngs(dir.path(), "s", {0, 2}, 2);
  write_random_bytes(dir / "s01.png", 500);
  auto source = open_images((dir / "s%02d.png").string());
  const Drained got = drain(*source);
  EXPECT_EQ(order_of(got), (std::vector<int>{0, 2}));
  EXPECT_EQ(got.gaps, std::vector<std::int64_t>{1});
  EXPECT_EQ(source->stats().gaps, 1);
  EXPECT_EQ(source->stats().frames, 2);
}

// libjpeg would decode a cut JPEG with gray rows made up: it is a gap.
TEST(ImagesSource, TruncatedJpegMidSequenceIsAGap) {
  TempDir dir;
  std::vector<unsigned char> bytes;
  for (const int i : {0, 1, 2}) {
    ASSERT_TRUE(cv::imencode(".jpg", clip_frame(i, kSize), bytes));
    const std::size_t size = i == 1 ? bytes.size() / 2 : bytes.size();
    std::ofstream(dir / ("j" + std::to_string(i) + ".jpg"), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(size));
  }
  auto source = open_images((dir / "j%d.jpg").string());
  const Drained got = drain(*source);
  EXPECT_EQ(got.indices, (std::vector<std::int64_t>{0, 2}));
  EXPECT_EQ(got.gaps, std::vector<std::int64_t>{1});
  EXPECT_EQ(source->stats().frames, 2);
}

TEST(ImagesSource, NothingMatchingIsAnInputError) {
  TempDir dir;
  EXPECT_THROW(open_images((dir / "*.png").string()), InputError);
  EXPECT_THROW(open_images((dir / "frame_%04d.png").string()), InputError);
  EXPECT_THROW(open_images((dir / "absent.png").string()), InputError);
  EXPECT_THROW(open_images((dir / "nofolder" / "*.png").string()), InputError);
  EXPECT_THROW(open_images((dir / "bad_%s.png").string()), InputError);
  try {
    open_images((dir / "x*.png").string());
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "x*.png").string()), std::string::npos);
  }
}

}  // namespace
}  // namespace conveyor::testing
