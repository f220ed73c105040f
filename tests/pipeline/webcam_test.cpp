// The `webcam` source without a camera: missing and unusable devices fail
// at once with a clear message; the watchdog (camera_reader) is driven by a
// scripted fake camera: silence, a frozen picture, reconnects, stop.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <thread>

#include "../../src/io/camera_reader.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/source.hpp"
#include "pipeline/stage_test_support.hpp"
#include "support/temp_dir.hpp"

namespace conveyor::testing {
namespace {

using Clock = std::chrono::steady_clock;
using pipeline::InputError;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr double kTimeout = 2;

config::SourceSpec webcam_spec(const std::string& path, int index = 0) {
  return source_yaml(
      "{type: webcam, device: " + (path.empty() ? std::to_string(index) : yaml_quoted(path)) +
          ", timeout_s: " + std::to_string(kTimeout) + "}",
      config::ColorMode::Gray);
}

// Opens and expects an InputError containing every fragment, within
// timeout + 1 s.
void expect_open_error(const config::SourceSpec& spec, const std::vector<std::string>& fragments) {
  auto source = pipeline::make_source(spec);
  const auto start = Clock::now();
  try {
    source->open();
    FAIL() << "open() succeeded";
  } catch (const InputError& e) {
    for (const auto& fragment : fragments) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
          << "missing '" << fragment << "' in: " << e.what();
    }
  }
  EXPECT_LT(seconds_since(start), kTimeout + 1.0);
}

TEST(WebcamSource, MissingDevicePathFailsAtOnceNamingIt) {
  expect_open_error(webcam_spec("/dev/video99"),
                    {"/dev/video99", "no such device", "ls /dev/video*"});
}

TEST(WebcamSource, MissingDeviceIndexFailsAtOnceNamingItsPath) {
  expect_open_error(webcam_spec("", 99), {"/dev/video99", "no such device", "another index"});
}

TEST(WebcamSource, ARegularFileIsNotAVideoDevice) {
  TempDir dir;
  const auto file = dir.write("video0", "not a camera");
  expect_open_error(webcam_spec(file.string()), {file.string(), "not a video device"});
}

TEST(WebcamSource, ACharacterDeviceThatIsNoCameraIsRefusedByV4l2) {
  expect_open_error(webcam_spec("/dev/null"), {"/dev/null", "V4L2 cannot open it"});
}

TEST(WebcamSource, DescribesItselfWithTheBackend) {
  EXPECT_EQ(pipeline::make_source(webcam_spec("", 3))->describe(), "webcam /dev/video3 (V4L2)");
}

// A camera following a script: each grab takes the next step.
class FakeCamera final : public io::CameraDevice {
 public:
  enum Step { Frame, Same, Nothing };
  std::deque<Step> script;        // after it runs out: Nothing
  int failing_opens = 0;          // the next opens that throw
  std::deque<Step> after_reopen;  // the script once reopened
  std::atomic<int> opens{0};

  void open() override {
    ++opens;
    if (failing_opens > 0) {
      --failing_opens;
      throw InputError("fake0: not there");
    }
    if (opens > 1) script = after_reopen;
  }
  bool grab(cv::Mat& frame) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const Step step = script.empty() ? Nothing : script.front();
    if (!script.empty()) script.pop_front();
    if (step == Nothing) return false;
    if (step == Frame) ++counter_;
    frame = cv::Mat(8, 8, CV_8UC3, cv::Scalar::all(counter_ % 256));
    return true;
  }
  void close() override {}
  std::string name() const override { return "fake0"; }

 private:
  int counter_ = 0;
};

io::CameraPolicy quick(double timeout_s, bool reconnect = false) {
  io::CameraPolicy policy;
  policy.timeout_s = timeout_s;
  policy.reconnect = reconnect;
  policy.retry_delay = std::chrono::milliseconds(20);
  policy.idle_delay = std::chrono::milliseconds(1);
  return policy;
}

TEST(CameraReader, SilenceEndsTheRunWithCameraDisconnected) {
  FakeCamera camera;
  camera.script = {FakeCamera::Frame, FakeCamera::Frame};
  io::CameraReader reader(camera, quick(0.3));
  reader.open();
  cv::Mat frame;
  EXPECT_TRUE(reader.next(frame));
  EXPECT_TRUE(reader.next(frame));
  const auto start = Clock::now();
  try {
    reader.next(frame);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("camera disconnected: no frame for 0.3 s from fake0", 0),
              0u)
        << e.what();
  }
  EXPECT_GE(seconds_since(start), 0.3);
  EXPECT_LT(seconds_since(start), 1.3);
}

TEST(CameraReader, AFrozenPictureCountsAsDisconnected) {
  FakeCamera camera;
  camera.script = {FakeCamera::Frame};
  for (int i = 0; i < 1000; ++i) camera.script.push_back(FakeCamera::Same);
  io::CameraReader reader(camera, quick(0.2));
  reader.open();
  cv::Mat frame;
  int delivered = 0;
  try {
    while (reader.next(frame)) ++delivered;
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("the same frame repeated for 0.2 s from fake0"),
              std::string::npos)
        << e.what();
  }
  EXPECT_GT(delivered, 1);  // repeats are delivered until the watchdog fires
  EXPECT_GT(reader.repeated_frames(), 0);
}

TEST(CameraReader, NoFirstFrameIsAnOpenError) {
  FakeCamera camera;
  io::CameraReader reader(camera, quick(0.2));
  EXPECT_THROW(reader.open(), InputError);
}

TEST(CameraReader, ReconnectsUntilFramesComeBack) {
  FakeCamera camera;
  camera.script = {FakeCamera::Frame};
  camera.failing_opens = 0;
  camera.after_reopen = {FakeCamera::Frame, FakeCamera::Frame};
  io::CameraReader reader(camera, quick(0.2, true));
  reader.open();
  camera.failing_opens = 2;  // the first two reopen attempts fail
  cv::Mat frame;
  ASSERT_TRUE(reader.next(frame));  // the first frame
  ASSERT_TRUE(reader.next(frame));  // after silence and three reopen attempts
  EXPECT_EQ(reader.reconnects(), 1);
  EXPECT_EQ(camera.opens.load(), 4);
  // The gap is an outage (frames that never existed), from the last frame
  // before it to the first after it: at least the silence that ended it.
  const auto outages = reader.outages();
  ASSERT_EQ(outages.size(), 1u);
  EXPECT_GE(std::chrono::duration<double>(outages[0].length).count(), 0.2);
  EXPECT_LE(outages[0].start + outages[0].length, Clock::now());
  ASSERT_TRUE(reader.next(frame));
  EXPECT_EQ(reader.outages().size(), 1u) << "a frame after the outage starts none";
}

TEST(CameraReader, StopEndsAWaitingReadPromptly) {
  FakeCamera camera;
  camera.script = {FakeCamera::Frame};
  camera.failing_opens = 0;
  io::CameraReader reader(camera, quick(0.1, true));
  reader.open();
  camera.failing_opens = 1000000;  // never comes back
  cv::Mat frame;
  ASSERT_TRUE(reader.next(frame));
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    reader.stop();
  });
  const auto start = Clock::now();
  EXPECT_FALSE(reader.next(frame));
  stopper.join();
  EXPECT_LT(seconds_since(start), 1.5);
  // Stopped while the camera was gone: the outage ends with the source.
  EXPECT_TRUE(reader.outages().empty());
  reader.close();
  ASSERT_EQ(reader.outages().size(), 1u);
  EXPECT_GE(std::chrono::duration<double>(reader.outages()[0].length).count(), 0.1);
}

}  // namespace
}  // namespace conveyor::testing
