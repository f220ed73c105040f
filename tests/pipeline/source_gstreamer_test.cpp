// The `gstreamer` source: a pipeline that cannot start is an InputError naming
// the pipeline and the reason, within the open timeout, never a hang.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <opencv2/core/utility.hpp>
#include <thread>

#include "conveyor/pipeline/errors.hpp"
#include "stage_test_support.hpp"

namespace conveyor::testing {
namespace {

using Clock = std::chrono::steady_clock;

bool opencv_has_gstreamer() {
  const std::string info = cv::getBuildInformation();
  const auto key = info.find("GStreamer:");
  return key != std::string::npos && info.find("YES", key) < info.find('\n', key);
}

// Through the YAML reader, which already refuses a description that does not
// end in appsink (so the cases below all do).
std::unique_ptr<pipeline::Source> gstreamer_source(const std::string& description) {
  return pipeline::make_source(
      source_yaml("{type: gstreamer, pipeline: " + yaml_quoted(description) + "}"));
}

struct OpenOutcome {
  bool finished = false;  // false: open() still blocked after the bound
  bool input_error = false;
  bool invalid = false;  // an InvalidInputError: the description never works
  std::string what;
  Clock::duration took{};
};

// Opens on a detached thread so that a regression fails the test instead of
// hanging it (a blocked thread keeps its source alive).
OpenOutcome open_within(const std::string& description, std::chrono::seconds bound) {
  struct Shared {
    std::mutex mutex;
    std::condition_variable cv;
    OpenOutcome outcome;
    std::unique_ptr<pipeline::Source> source;
  };
  auto shared = std::make_shared<Shared>();
  shared->source = gstreamer_source(description);
  const auto start = Clock::now();
  std::thread([shared, start] {
    OpenOutcome outcome;
    try {
      shared->source->open();
      shared->source->close();
    } catch (const pipeline::InvalidInputError& e) {
      outcome.input_error = outcome.invalid = true;
      outcome.what = e.what();
    } catch (const pipeline::InputError& e) {
      outcome.input_error = true;
      outcome.what = e.what();
    } catch (const std::exception& e) {
      outcome.what = e.what();
    }
    outcome.finished = true;
    outcome.took = Clock::now() - start;
    const std::lock_guard lock(shared->mutex);
    shared->outcome = outcome;
    shared->cv.notify_all();
  }).detach();
  std::unique_lock lock(shared->mutex);
  shared->cv.wait_for(lock, bound, [&] { return shared->outcome.finished; });
  return shared->outcome;
}

enum class Kind { Invalid, Failed };  // the description is wrong | it did not start

void expect_input_error(const std::string& description, Kind kind,
                        const std::vector<std::string>& needles) {
  SCOPED_TRACE(description);
  const auto outcome = open_within(description, std::chrono::seconds(60));
  ASSERT_TRUE(outcome.finished) << "open() still blocked after 60 s";
  ASSERT_TRUE(outcome.input_error) << "no InputError; what: " << outcome.what;
  EXPECT_EQ(outcome.invalid, kind == Kind::Invalid) << outcome.what;
  EXPECT_NE(outcome.what.find(description), std::string::npos) << outcome.what;
  for (const auto& needle : needles)
    EXPECT_NE(outcome.what.find(needle), std::string::npos) << outcome.what;
  std::cerr << "  " << description << ": "
            << std::chrono::duration_cast<std::chrono::milliseconds>(outcome.took).count()
            << " ms: " << outcome.what << "\n";
}

class GStreamerSource : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!opencv_has_gstreamer()) GTEST_SKIP() << "OpenCV has no GStreamer support";
  }
};

TEST_F(GStreamerSource, UnknownElementsAreNamed) {
  expect_input_error("conveyornosuchelement ! videoconvert ! appsink", Kind::Invalid,
                     {"conveyornosuchelement"});
  expect_input_error("videotestsrc ! conveyorbogusconvert ! appsink", Kind::Invalid,
                     {"conveyorbogusconvert"});
}

TEST_F(GStreamerSource, SyntaxLinkAndMissingAppsinkErrorsAreNamed) {
  expect_input_error("videotestsrc ! ! appsink", Kind::Invalid, {"syntax"});
  expect_input_error("! videotestsrc num-buffers=5 ! videoconvert ! appsink", Kind::Invalid,
                     {"syntax"});
  expect_input_error("videotestsrc conveyorbogus=1 ! appsink", Kind::Invalid, {"conveyorbogus"});
  expect_input_error("videotestsrc num-buffers=5 ! appsink name=frames", Kind::Invalid,
                     {"named like appsink"});
  expect_input_error("videotestsrc ! audio/x-raw ! appsink", Kind::Invalid, {"link"});
}

TEST_F(GStreamerSource, ElementsThatFailToStartAreNamedWithTheReason) {
  expect_input_error(
      "filesrc location=/nonexistent/conveyor.mp4 ! decodebin ! videoconvert ! appsink",
      Kind::Failed, {"filesrc", "/nonexistent/conveyor.mp4"});
  expect_input_error("videotestsrc num-buffers=0 ! videoconvert ! appsink", Kind::Failed,
                     {"ended before"});
}

TEST_F(GStreamerSource, APipelineThatNeverDeliversIsBoundedByTheOpenTimeout) {
  expect_input_error("videotestsrc is-live=true ! valve drop=true ! videoconvert ! appsink",
                     Kind::Failed, {"no frame within"});
}

TEST_F(GStreamerSource, WorkingPipelinesStillDeliverEveryFrame) {
  for (const std::string live : {"false", "true"}) {
    SCOPED_TRACE(live);
    auto source = gstreamer_source("videotestsrc is-live=" + live +
                                   " num-buffers=7 ! video/x-raw,width=64,height=48 ! "
                                   "videoconvert ! video/x-raw,format=BGR ! appsink");
    source->open();
    cv::Mat frame;
    std::int64_t index = -1;
    int frames = 0;
    while (source->read(frame, index) == pipeline::ReadStatus::Frame) {
      EXPECT_EQ(index, frames);
      EXPECT_EQ(frame.size(), cv::Size(64, 48));
      ++frames;
    }
    source->close();
    EXPECT_EQ(frames, 7);  // the pre-check ran its own copy of the pipeline
  }
}

// Frames come, then none: a read is bounded too (the stream ends, with a note).
TEST_F(GStreamerSource, APipelineThatStallsEndsWithinTheReadTimeout) {
  auto source = gstreamer_source(
      "videotestsrc ! video/x-raw,width=64,height=48,framerate=30/1 ! "
      "identity datarate=200 sync=true ! videoconvert ! video/x-raw,format=BGR ! appsink");
  source->open();
  cv::Mat frame;
  std::int64_t index = -1;
  int frames = 0;
  const auto start = Clock::now();
  while (frames < 10 && source->read(frame, index) == pipeline::ReadStatus::Frame) ++frames;
  const auto took = Clock::now() - start;
  EXPECT_LT(frames, 10);
  EXPECT_LT(took, std::chrono::seconds(60));
  EXPECT_NE(source->stats().notes.find("stalled"), std::string::npos) << source->stats().notes;
  source->close();
}

}  // namespace
}  // namespace conveyor::testing
