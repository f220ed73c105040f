// Truncated JPEG files: libjpeg decodes them with the missing rows made up,
// so the marker walk (src/io/jpeg_structure.cpp) must tell them apart from
// complete files, whatever the encoding.
#include "../../src/io/jpeg_structure.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "stage_test_support.hpp"
#include "support/clip_fixtures.hpp"

namespace conveyor::testing {
namespace {

using namespace std::string_literals;

std::string encode(const cv::Mat& image, const std::vector<int>& params) {
  std::vector<unsigned char> bytes;
  EXPECT_TRUE(cv::imencode(".jpg", image, bytes, params));
  return std::string(bytes.begin(), bytes.end());
}

// Baseline, progressive (several scans), restart markers, gray and colour.
std::vector<std::string> encodings() {
  const cv::Mat colour = clip_frame(5, cv::Size(53, 37));
  cv::Mat gray;
  cv::extractChannel(colour, gray, 1);
  return {encode(colour, {}), encode(gray, {}), encode(colour, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}),
          encode(colour, {cv::IMWRITE_JPEG_RST_INTERVAL, 2}),
          encode(colour, {cv::IMWRITE_JPEG_QUALITY, 100, cv::IMWRITE_JPEG_OPTIMIZE, 1})};
}

TEST(JpegStructure, CompleteFilesPassAndEveryShorterPrefixIsTruncated) {
  for (const std::string& jpeg : encodings()) {
    SCOPED_TRACE(jpeg.size());
    EXPECT_EQ(io::jpeg_truncation(jpeg), "");
    for (std::size_t size = 2; size < jpeg.size(); ++size) {
      const std::string problem = io::jpeg_truncation(std::string_view(jpeg).substr(0, size));
      ASSERT_NE(problem.find("ends before the end-of-image marker"), std::string::npos)
          << "prefix of " << size << " bytes: '" << problem << "'";
    }
  }
}

// A phone's appended video or maker notes after the end: still complete.
TEST(JpegStructure, DataAfterTheEndIsAllowed) {
  const std::string jpeg = encodings().front();
  EXPECT_EQ(io::jpeg_truncation(jpeg + std::string(300, '\0')), "");
  EXPECT_EQ(io::jpeg_truncation(jpeg + "\xFF\xD8 another file"), "");
}

// An EXIF thumbnail is a whole JPEG inside APP1, with its own end marker: a
// file cut after the thumbnail is still truncated.
TEST(JpegStructure, AThumbnailsEndMarkerDoesNotEndTheFile) {
  const std::string main = encodings().front();
  const std::string thumbnail = encode(clip_frame(1, cv::Size(8, 8)), {});
  const std::string payload = "Exif\0\0"s + thumbnail;
  const std::size_t length = payload.size() + 2;
  std::string app1 =
      "\xFF\xE1"s + static_cast<char>(length >> 8) + static_cast<char>(length & 0xFF) + payload;
  const std::string with_thumbnail = main.substr(0, 2) + app1 + main.substr(2);
  EXPECT_EQ(io::jpeg_truncation(with_thumbnail), "");
  const std::string cut = with_thumbnail.substr(0, 2 + app1.size() + 200);
  EXPECT_NE(io::jpeg_truncation(cut), "");
  cv::Mat decoded =
      cv::imdecode(std::vector<unsigned char>(with_thumbnail.begin(), with_thumbnail.end()),
                   cv::IMREAD_UNCHANGED);
  EXPECT_EQ(decoded.size(), cv::Size(53, 37));  // the main image, as OpenCV reads it
}

TEST(JpegStructure, OtherFilesAreNotJudged) {
  EXPECT_EQ(io::jpeg_truncation(""), "");
  EXPECT_EQ(io::jpeg_truncation("\x89PNG\r\n"), "");
  EXPECT_EQ(io::jpeg_truncation("\xFF"), "");
}

// A pipe is left to the decoder untouched: reading its first bytes here
// would take them from the decoder.
TEST(JpegStructure, APipeIsNotRead) {
  TempDir dir;
  const std::filesystem::path fifo = dir / "feed.jpg";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(writer, 0);
  const std::string jpeg = encodings().front().substr(0, 100);  // fits the pipe's buffer
  ASSERT_EQ(::write(writer, jpeg.data(), jpeg.size()), static_cast<ssize_t>(jpeg.size()));
  EXPECT_EQ(io::jpeg_file_truncation(fifo), "");
  std::string left(jpeg.size() + 1, '\0');
  EXPECT_EQ(::read(reader, left.data(), left.size()), static_cast<ssize_t>(jpeg.size()));
  ::close(writer);
  ::close(reader);
}

TEST(JpegStructure, ReadImageRefusesATruncatedFile) {
  TempDir dir;
  const std::string jpeg = encodings().front();
  std::ofstream(dir / "whole.jpg", std::ios::binary) << jpeg;
  std::ofstream(dir / "cut.jpg", std::ios::binary) << jpeg.substr(0, jpeg.size() * 2 / 3);
  EXPECT_EQ(pipeline::read_image((dir / "whole.jpg").string(), cv::IMREAD_UNCHANGED).size(),
            cv::Size(53, 37));
  try {
    pipeline::read_image((dir / "cut.jpg").string(), cv::IMREAD_UNCHANGED);
    FAIL() << "a truncated JPEG was decoded";
  } catch (const pipeline::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("cut.jpg"), std::string::npos) << message;
    EXPECT_NE(message.find("is truncated"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace conveyor::testing
