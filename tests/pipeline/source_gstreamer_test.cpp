// The `gstreamer` source: a pipeline that cannot start is a clear InputError.
#include <gtest/gtest.h>

#include <chrono>

#include "conveyor/pipeline/errors.hpp"
#include "stage_test_support.hpp"

namespace conveyor::testing {
namespace {

TEST(GStreamerSource, MissingElementIsAnInputErrorNamingThePipeline) {
  auto source = pipeline::make_source(
      source_yaml("{type: gstreamer, pipeline: \"conveyornosuchelement ! videoconvert ! appsink\"}",
                  config::ColorMode::Gray));
  const auto start = std::chrono::steady_clock::now();
  try {
    source->open();
    FAIL() << "a pipeline with an unknown element opened";
  } catch (const pipeline::InputError& e) {
    const std::string what = e.what();
    EXPECT_TRUE(what.find("conveyornosuchelement") != std::string::npos ||
                what.find("no GStreamer support") != std::string::npos)
        << what;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

}  // namespace
}  // namespace conveyor::testing
