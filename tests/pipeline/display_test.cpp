// The `display` sink: no display is a clean OutputError (never Qt's abort);
// with Qt's offscreen platform, write() returns only once pump() has shown
// the frame; the overlay and mosaic pictures.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "../../src/io/display_env.hpp"
#include "../../src/io/display_overlay.hpp"
#include "conveyor/config/node_registry.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "pipeline/stage_test_support.hpp"

namespace conveyor::testing {
namespace {

using namespace std::chrono_literals;
using pipeline::OutputError;
using pipeline::View;

// Sets variables for one test and restores them afterwards.
class Environment {
 public:
  Environment() {
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
      const char* value = std::getenv(name);
      saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
      ::unsetenv(name);
    }
  }
  ~Environment() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }
  void set(const char* name, const char* value) { ::setenv(name, value, 1); }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

config::SinkSpec display_spec() {
  config::SinkSpec spec = config::read_sink_yaml(
      "{type: display, title: Conveyor test, overlay: [fps, latency, drops]}");
  spec.name = "preview";
  return spec;
}

TEST(DisplaySink, NoDisplayIsAnOutputErrorNotAnAbort) {
  Environment env;
  auto sink = pipeline::make_sink(display_spec());
  try {
    sink->open({});
    FAIL() << "open() succeeded without a display";
  } catch (const OutputError& e) {
    EXPECT_STREQ(e.what(),
                 "display sink 'preview': no display (DISPLAY is not set); use a headless sink "
                 "such as file, images or null, or run under xvfb-run");
  }
}

TEST(DisplaySink, AnXServerThatIsNotThereIsAnOutputError) {
  Environment env;
  env.set("DISPLAY", ":917");
  auto sink = pipeline::make_sink(display_spec());
  try {
    sink->open({});
    FAIL() << "open() succeeded";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to the X display ':917'"),
              std::string::npos)
        << e.what();
  }
}

TEST(DisplayEnvironment, WhatCountsAsADisplay) {
  Environment env;
  EXPECT_EQ(io::display_unavailable_reason(), "no display (DISPLAY is not set)");
  env.set("WAYLAND_DISPLAY", "wayland-0");
  EXPECT_EQ(io::display_unavailable_reason(), "");
  ::unsetenv("WAYLAND_DISPLAY");
  env.set("DISPLAY", "remotehost:10.0");  // not probed: trusted
  EXPECT_EQ(io::display_unavailable_reason(), "");
  env.set("DISPLAY", ":916");
  env.set("QT_QPA_PLATFORM", "offscreen");
  EXPECT_EQ(io::display_unavailable_reason(), "");
}

std::vector<View> views_for(int sequence) {
  return {{"output", cv::Mat(48, 64, CV_8UC1, cv::Scalar(sequence * 20))},
          {"gx", cv::Mat(48, 64, CV_32FC1, cv::Scalar(100.0f))},
          {"gy", cv::Mat(24, 32, CV_8UC3, cv::Scalar(0, 0, 255))}};
}

TEST(DisplaySink, WriteReturnsOnlyOnceTheFrameWasShown) {
  Environment env;
  env.set("QT_QPA_PLATFORM", "offscreen");
  auto sink = pipeline::make_sink(display_spec());
  auto* loop = dynamic_cast<pipeline::MainThreadLoop*>(sink.get());
  ASSERT_NE(loop, nullptr);
  EXPECT_TRUE(display_spec().node->takes_views);
  EXPECT_TRUE(display_spec().node->main_thread);
  pipeline::SinkContext context;
  context.live_stats = [] { return pipeline::LiveStats{30, 12, 11, 20, 0, 5}; };
  sink->open(context);

  std::atomic<int> completed{0};
  std::thread writer([&] {
    for (int i = 0; i < 5; ++i) {
      sink->write_views(views_for(i), i);
      ++completed;
    }
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(completed.load(), 0) << "write() returned before the main thread showed the frame";
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (completed.load() < 5 && std::chrono::steady_clock::now() < deadline) {
    EXPECT_TRUE(loop->pump(20ms));
  }
  writer.join();
  EXPECT_EQ(completed.load(), 5);
  loop->release();
  sink->finish();
  EXPECT_EQ(sink->stats().written, 5);
}

TEST(DisplaySink, ReleaseWakesAWaitingWriter) {
  Environment env;
  env.set("QT_QPA_PLATFORM", "offscreen");
  auto sink = pipeline::make_sink(display_spec());
  auto* loop = dynamic_cast<pipeline::MainThreadLoop*>(sink.get());
  sink->open({});
  std::atomic<bool> returned{false};
  std::thread writer([&] {
    sink->write(cv::Mat(8, 8, CV_8UC1, cv::Scalar(1)), 0);
    returned = true;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(returned.load());
  const auto start = std::chrono::steady_clock::now();
  loop->release();
  writer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  sink->write(cv::Mat(8, 8, CV_8UC1, cv::Scalar(1)), 1);  // after release: returns at once
  sink->finish();
}

TEST(DisplayOverlay, LinesSayWhatIsOnScreen) {
  io::OverlayState state;
  state.have_stats = true;
  state.stats = {29.94, 12.34, 11.0, 20.5, 3, 120};
  state.view_name = "gx";
  state.view_index = 1;
  state.view_count = 4;
  state.paused = true;
  const auto lines =
      io::overlay_lines({io::Overlay::Fps, io::Overlay::Latency, io::Overlay::Drops}, state);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "fps 29.9");
  EXPECT_EQ(lines[1], "latency 12.3 ms  p50 11.0  p99 20.5");
  EXPECT_EQ(lines[2], "drops 3 of 120");
  EXPECT_EQ(lines[3], "view 2/4: gx");
  EXPECT_EQ(lines[4].rfind("PAUSED", 0), 0u);
  state.mosaic = true;
  state.paused = false;
  EXPECT_EQ(io::overlay_lines({}, state).front().rfind("mosaic of 4 maps", 0), 0u);
}

TEST(DisplayOverlay, MosaicIsAGridWithinTheLimit) {
  const auto small = io::labelled_mosaic(views_for(1), cv::Size(1280, 720));
  EXPECT_EQ(small.size(), cv::Size(128, 96));  // 2 x 2 cells of the largest view
  EXPECT_EQ(small.type(), CV_8UC3);
  std::vector<View> big(9, View{"map", cv::Mat(720, 1280, CV_8UC1, cv::Scalar(50))});
  const auto fitted = io::labelled_mosaic(big, cv::Size(1280, 720));
  EXPECT_LE(fitted.cols, 1280);
  EXPECT_LE(fitted.rows, 720);
}

TEST(DisplayKeys, EveryDocumentedKey) {
  using io::command_for_key;
  using io::KeyAction;
  for (const int key : {int{'q'}, int{'Q'}, 27})
    EXPECT_EQ(command_for_key(key).action, KeyAction::Quit);
  EXPECT_EQ(command_for_key(' ').action, KeyAction::Pause);
  for (const int key : {'\t', 'n'}) EXPECT_EQ(command_for_key(key).action, KeyAction::NextView);
  EXPECT_EQ(command_for_key('3').action, KeyAction::SelectView);
  EXPECT_EQ(command_for_key('3').view, 2);
  EXPECT_EQ(command_for_key('m').action, KeyAction::Mosaic);
  EXPECT_EQ(command_for_key('s').action, KeyAction::Snapshot);
  EXPECT_EQ(command_for_key('0').action, KeyAction::None);
  EXPECT_EQ(command_for_key(-1).action, KeyAction::None);
}

TEST(DisplayOverlay, TextBoxDarkensBehindWhiteText) {
  cv::Mat picture(480, 640, CV_8UC3, cv::Scalar::all(128));
  io::draw_text_box(picture, {"fps 30.0", "latency 12.0 ms"});
  const cv::Mat box = picture(cv::Rect(8, 8, 100, 40));
  double lowest = 0;
  double highest = 0;
  cv::minMaxLoc(box.reshape(1), &lowest, &highest);
  EXPECT_LT(lowest, 70);                                                 // the dark box
  EXPECT_GT(highest, 200);                                               // the white text
  EXPECT_EQ(picture.at<cv::Vec3b>(400, 600), cv::Vec3b(128, 128, 128));  // untouched
}

}  // namespace
}  // namespace conveyor::testing
