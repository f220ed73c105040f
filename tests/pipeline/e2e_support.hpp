// Shared by the end-to-end tests (e2e_*_test.cpp): a temporary folder holds
// the pipeline file, its input clip and every output; `conveyor` runs as a
// child process in that folder (or run_pipeline in-process), and the outputs
// are read back: video frames, images, the JSON report.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <thread>
#include <vector>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/pipeline/test_hooks.hpp"
#include "support/clip_fixtures.hpp"
#include "support/paths.hpp"
#include "support/run_process.hpp"
#include "support/temp_dir.hpp"

// Under a sanitizer the resident memory of a run says nothing about its frames:
// ASan's quarantine keeps freed memory resident, and TSan's shadow memory and
// access history grow with every byte touched. Memory bounds are not checked.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define E2E_RSS_INFLATED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define E2E_RSS_INFLATED 1
#endif
#endif

namespace conveyor::testing::e2e {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Runs `conveyor ARGS` in `dir` with the shipped kernel library (a developer's
// CONVEYOR_KERNELS must not change results). A hung child is killed.
inline ProcessResult conveyor_in(const TempDir& dir, const std::vector<std::string>& args,
                                 std::chrono::milliseconds timeout = 60s) {
  ProcessOptions options;
  options.unset_env = {"CONVEYOR_KERNELS"};
  options.working_directory = dir.path();
  options.timeout = timeout;
  return run_conveyor(args, options);
}

inline std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + (result.timed_out ? " (timed out)" : "") +
         "\n--- stdout:\n" + result.out + "--- stderr:\n" + result.err;
}

inline bool contains(const std::string& text, const std::string& fragment) {
  return text.find(fragment) != std::string::npos;
}

// Every frame of a video, decoded by FFmpeg as the product reads it.
inline std::vector<cv::Mat> read_video(const fs::path& path) {
  std::vector<cv::Mat> frames;
  cv::VideoCapture capture(path.string(), cv::CAP_FFMPEG);
  if (!capture.isOpened()) return frames;
  for (cv::Mat frame; capture.read(frame);) frames.push_back(frame.clone());
  return frames;
}

inline nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return nlohmann::json();
  return nlohmann::json::parse(in, nullptr, false);
}

// Files a run must not leave behind: temporary outputs (".partial").
inline std::vector<std::string> partial_files(const fs::path& folder) {
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (contains(it->path().filename().string(), ".partial")) found.push_back(it->path().string());
  }
  return found;
}

// Waits until the run's video (a .mkv output) has its temporary file, with at
// least `min_bytes` on disk: the sink creates it at the first frame, and the
// muxer writes in clusters (so 0 bytes for a while, then whole frames). A
// condition, not a fixed sleep: the trace's temporary exists from the start,
// long before the first frame, and sanitizer builds run several times slower.
// False if the child ended first or after 120 s.
inline bool wait_until_video_written(ChildProcess& child, const fs::path& folder,
                                     std::uintmax_t min_bytes = 0) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline && child.running()) {
    for (const std::string& path : partial_files(folder)) {
      std::error_code ec;
      const std::uintmax_t size = fs::file_size(path, ec);
      if (!ec && fs::path(path).extension() == ".mkv" && size >= min_bytes) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// The loader's message for pipeline `text` (named `name` in it), or "no
// error" when it loads.
inline std::string load_error_of(const std::string& text, const std::string& name) {
  try {
    config::load_pipeline_from_string(text, name);
  } catch (const config::PipelineError& error) {
    return error.what();
  }
  return "no error";
}

// Ends the whole test program if a run hangs: a deadlocked flow graph cannot
// be cancelled from outside, and a hung test must fail, not stall CI.
class Watchdog {
 public:
  Watchdog(std::chrono::seconds limit, std::string what) : what_(std::move(what)) {
    thread_ = std::thread([this, limit] {
      std::unique_lock lock(mutex_);
      if (!done_cv_.wait_for(lock, limit, [this] { return done_; })) {
        std::fprintf(stderr, "watchdog: %s did not finish in %lld s: hung\n", what_.c_str(),
                     static_cast<long long>(limit.count()));
        std::fflush(stderr);
        std::_Exit(3);
      }
    });
  }
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  std::string what_;
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
};

// Sets the before-stage test hook for one scope (slow down or fail a stage).
class HookGuard {
 public:
  explicit HookGuard(pipeline::test_hooks::StageHook hook) {
    pipeline::test_hooks::set_before_stage(std::move(hook));
  }
  ~HookGuard() { pipeline::test_hooks::set_before_stage(nullptr); }
  HookGuard(const HookGuard&) = delete;
  HookGuard& operator=(const HookGuard&) = delete;
};

// This process's resident memory (VmRSS), in kB; 0 if unknown.
inline long rss_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// The report's frame totals, checked to add up.
inline void expect_balanced(const nlohmann::json& report) {
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  // at(): a missing key throws, which the test reports as a failure.
  const auto& frames = report.at("frames");
  EXPECT_EQ(frames.at("decoded").get<std::int64_t>(),
            frames.at("written").get<std::int64_t>() + frames.at("dropped").get<std::int64_t>())
      << report.dump(2);
  EXPECT_TRUE(frames.at("balanced").get<bool>()) << report.dump(2);
}

// "out/gx_007.tif": the file an images sink with pattern "out/gx_%03d.tif"
// writes for frame 7.
inline std::string numbered(const std::string& prefix, std::size_t index, const std::string& ext) {
  const std::string digits = std::to_string(index);
  return prefix + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits + ext;
}

// The frame numbers coded in a clip's frames (clip_fixtures), in file order.
inline std::vector<int> frame_indices(const std::vector<cv::Mat>& frames) {
  std::vector<int> indices;
  for (const auto& frame : frames) indices.push_back(clip_frame_index(frame));
  return indices;
}

inline std::vector<int> iota_indices(int count, int skip = -1) {
  std::vector<int> indices;
  for (int i = 0; i < count; ++i) {
    if (i != skip) indices.push_back(i);
  }
  return indices;
}

// One edit of a watched pipeline file and the message it must bring.
struct WatchEdit {
  std::string yaml;      // the file's whole new text
  std::string expected;  // in stderr once the watcher has taken (or refused) it
};

// `conveyor run FILE --watch` in `dir`: once the run's video is open (so the
// watcher holds the first version), writes each edit and waits for its
// message, then stops the run with SIGINT. Checks it ended with 130, its
// report (`report`, relative to `dir`) balanced and no frame refused by a
// sink; returns the report for the caller's own checks.
inline nlohmann::json run_watch_edits(const TempDir& dir, const std::string& file,
                                      const std::string& report,
                                      const std::vector<WatchEdit>& edits) {
  ProcessOptions options;
  options.unset_env = {"CONVEYOR_KERNELS"};
  options.working_directory = dir.path();
  options.timeout = std::chrono::seconds(120);
  ChildProcess child({conveyor_binary(), "run", file, "--watch"}, options);
  if (!wait_until_video_written(child, dir / "out")) {
    ADD_FAILURE() << "the run never opened its video:\n" << child.stderr_so_far();
    return {};
  }
  for (const WatchEdit& edit : edits) {
    SCOPED_TRACE(edit.expected);
    dir.write(file, edit.yaml);
    EXPECT_TRUE(child.wait_for_output(edit.expected, std::chrono::seconds(30)))
        << child.stderr_so_far();
  }
  child.send_signal(SIGINT);
  const ProcessResult result = child.wait();
  EXPECT_EQ(result.exit_code, 130) << describe(result);
  nlohmann::json json = read_json(dir / report);
  expect_balanced(json);
  if (json.is_object()) {
    EXPECT_EQ(json["drops"]["writer_reject"], 0) << json.dump(2) << result.err;
  }
  return json;
}

}  // namespace conveyor::testing::e2e
