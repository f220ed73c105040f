// The `file` source against the codecs, pixel formats and containers users
// bring (B-frames, 10-bit, HEVC, VP9, AV1, MJPEG, MPEG-2 in TS, ProRes, GIF,
// audio alongside): every frame arrives, and each equals what OpenCV's own
// FFmpeg capture decodes, within the rounding of the colour conversion.
#include <gtest/gtest.h>

#include <cstdlib>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "stage_test_support.hpp"
#include "support/clip_fixtures.hpp"

namespace conveyor::testing {
namespace {

constexpr int kFrames = 12;

struct Clip {
  const char* name;     // file name; its extension picks the container
  const char* encoder;  // must be in `ffmpeg -encoders`
  const char* options;  // encoder and pixel-format options
  bool with_audio = false;
};

void PrintTo(const Clip& clip, std::ostream* out) {
  *out << clip.name;
}

class SourceCodecs : public ::testing::TestWithParam<Clip> {};

// Every frame of `path` as OpenCV's capture delivers it, in `color`.
std::vector<cv::Mat> opencv_frames(const std::filesystem::path& path, config::ColorMode color) {
  std::vector<cv::Mat> frames;
  cv::VideoCapture capture(path.string(), cv::CAP_FFMPEG);
  for (cv::Mat frame; capture.read(frame);) {
    cv::Mat converted = frame.clone();
    if (color == config::ColorMode::Gray) cv::cvtColor(frame, converted, cv::COLOR_BGR2GRAY);
    frames.push_back(converted);
  }
  return frames;
}

double mean_difference(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat difference;
  cv::absdiff(a, b, difference);
  const cv::Scalar per_channel = cv::mean(difference);
  return (per_channel[0] + per_channel[1] + per_channel[2]) / a.channels();
}

TEST_P(SourceCodecs, EveryFrameArrivesAsOpenCvDecodesIt) {
  const Clip& clip = GetParam();
  if (!ffmpeg_has_encoder(clip.encoder)) GTEST_SKIP() << "ffmpeg has no " << clip.encoder;
  TempDir dir;
  const auto path = dir / clip.name;
  const std::string audio = clip.with_audio ? " -f lavfi -i sine=frequency=440:sample_rate=48000"
                                              " -c:a aac -shortest"
                                            : "";
  const std::string command =
      "ffmpeg -v error -nostdin -y -f lavfi -i testsrc2=size=176x144:rate=25" + audio +
      " -frames:v " + std::to_string(kFrames) + " -c:v " + clip.encoder + " " + clip.options + " " +
      yaml_quoted(path);
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  for (const auto color : {config::ColorMode::Gray, config::ColorMode::Bgr}) {
    SCOPED_TRACE(config::to_string(color));
    auto source = pipeline::make_source(file_source_spec(path, color));
    source->open();
    const Drained got = drain(*source);
    EXPECT_TRUE(got.ended);
    EXPECT_TRUE(got.gaps.empty());
    ASSERT_EQ(got.frames.size(), static_cast<std::size_t>(kFrames));
    const std::vector<cv::Mat> expected = opencv_frames(path, color);
    ASSERT_EQ(expected.size(), got.frames.size());
    for (std::size_t i = 0; i < got.frames.size(); ++i) {
      ASSERT_EQ(got.frames[i].size(), expected[i].size()) << "frame " << i;
      ASSERT_EQ(got.frames[i].type(), expected[i].type()) << "frame " << i;
      EXPECT_EQ(got.indices[i], static_cast<std::int64_t>(i));
      // Gray is the luma plane here and BGR-then-gray in OpenCV: the two
      // differ only by rounding and by clipping of saturated colours.
      EXPECT_LT(mean_difference(got.frames[i], expected[i]), 1.5) << "frame " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Common, SourceCodecs,
    ::testing::Values(Clip{"h264_bframes.mp4", "libx264", "-bf 3 -pix_fmt yuv420p"},
                      Clip{"h264_10bit.mkv", "libx264", "-pix_fmt yuv420p10le"},
                      Clip{"h264_with_audio.mp4", "libx264", "-pix_fmt yuv420p", true},
                      Clip{"hevc.mkv", "libx265", "-pix_fmt yuv420p -x265-params log-level=error"},
                      Clip{"vp9.webm", "libvpx-vp9", "-deadline realtime -cpu-used 8"},
                      Clip{"av1.mkv", "libsvtav1", "-preset 12"},
                      Clip{"mjpeg.avi", "mjpeg", "-q:v 3"},
                      Clip{"mpeg2.ts", "mpeg2video", "-q:v 3"}, Clip{"prores.mov", "prores", ""},
                      Clip{"huffyuv.avi", "huffyuv", ""}, Clip{"animation.gif", "gif", ""}),
    [](const ::testing::TestParamInfo<Clip>& param_info) {
      std::string name = param_info.param.name;
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

}  // namespace
}  // namespace conveyor::testing
