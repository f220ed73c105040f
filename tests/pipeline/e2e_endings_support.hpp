// Shared by the tests of how a run ends (e2e_endings_test.cpp,
// e2e_start_and_stale_test.cpp): the small pipeline `B` (a video, a
// trace and a report) and checks that a run finished with all three complete.
#pragma once

#include <algorithm>
#include <cctype>

#include "e2e_support.hpp"
#include "support/paths.hpp"

namespace conveyor::testing::e2e::endings {

// `frames: 0` is endless. A video, a trace and a report, as in the issue's `B`.
inline std::string pipeline_b(int frames, const std::string& extra_source = "") {
  return "name: b\nsource: { type: testpattern, width: 320, height: 240, frames: " +
         std::to_string(frames) + extra_source +
         " }\nstages:\n  - name: edges\n    bank: [{ name: gx, kernel: sobel_x }, { name: gy, "
         "kernel: sobel_y }]\n    combine: { op: magnitude }\n"
         "sinks: [{ type: file, path: out/base.mkv }]\n"
         "runtime: { threads: 2, mode: throughput, max_in_flight: 4 }\n"
         "metrics: { report: out/report.json, trace: out/trace.csv }\n";
}

inline ProcessOptions options_in(const TempDir& dir) {
  ProcessOptions options;
  options.unset_env = {"CONVEYOR_KERNELS"};
  options.working_directory = dir.path();
  options.timeout = std::chrono::seconds(90);
  return options;
}

// The run is writing frames: its video's temporary file exists.
inline bool wait_until_writing(ChildProcess& child, const TempDir& dir) {
  return wait_until_video_written(child, dir / "out");
}

// Every line of the trace is CSV: the header's column count, a number first.
inline void expect_clean_trace(const fs::path& path, int rows) {
  std::ifstream in(path);
  ASSERT_TRUE(in) << "no trace at " << path;
  std::string header;
  std::getline(in, header);
  ASSERT_EQ(header.rfind("sequence,", 0), 0u) << header;
  const auto commas = std::count(header.begin(), header.end(), ',');
  int count = 0;
  for (std::string line; std::getline(in, line); ++count) {
    ASSERT_EQ(std::count(line.begin(), line.end(), ','), commas) << "not a trace row: " << line;
    ASSERT_TRUE(!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) << line;
  }
  EXPECT_EQ(count, rows);
}

// A finished run of `frames`: video, trace and report complete, nothing partial.
inline void expect_finished(const TempDir& dir, int exit_code, int frames) {
  const nlohmann::json report = read_json(dir / "out/report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["exit_code"], exit_code);
  const int written = report["frames"]["written"].get<int>();
  if (frames >= 0) {
    EXPECT_EQ(written, frames);
  }
  EXPECT_EQ(static_cast<int>(read_video(dir / "out/base.mkv").size()), written);
  expect_clean_trace(dir / "out/trace.csv", report["frames"]["decoded"].get<int>());
  EXPECT_TRUE(partial_files(dir.path()).empty());
}

}  // namespace conveyor::testing::e2e::endings
