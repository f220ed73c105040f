// `report --plot` of a day-long trace: 24 hours at 60 fps (5.2 M rows, about
// 350 MB of CSV) plots in bounded memory, and its p50 and p99 are exact.
// Labelled slow (tests/CMakeLists.txt): it writes and reads the big file.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "support/run_process.hpp"
#include "support/temp_dir.hpp"

namespace conveyor::testing {
namespace {

constexpr std::int64_t kRows = 24LL * 3600 * 60;  // 5,184,000
constexpr long kMaxRssKiB = 200 * 1024;           // 200 MB

// "%.4f" of a value in units of 0.1 us, as RunMetrics writes times.
int put_fixed(char* out, std::uint64_t tenths_of_us) {
  return std::snprintf(out, 32, "%llu.%04llu",
                       static_cast<unsigned long long>(tenths_of_us / 10000),
                       static_cast<unsigned long long>(tenths_of_us % 10000));
}

// Writes the trace; returns every written frame's end-to-end latency as the
// reader will parse it.
std::vector<double> write_day_trace(const std::filesystem::path& path) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  EXPECT_NE(out, nullptr);
  std::fputs(
      "sequence,source_index,outcome,captured_ms,edges_queue_ms,edges_compute_ms,sink_ms,"
      "end_to_end_ms\n",
      out);
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(kRows));
  std::uint64_t random = 88172645463325252ULL;
  const auto next = [&](std::uint64_t range) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    return random % range;
  };
  char line[256];
  for (std::int64_t i = 0; i < kRows; ++i) {
    const std::uint64_t captured = static_cast<std::uint64_t>(i) * 166667;
    int n = std::snprintf(line, sizeof line, "%lld,%lld,", static_cast<long long>(i),
                          static_cast<long long>(i));
    if (i % 97 == 13) {  // a live overwrite now and then
      n += std::snprintf(line + n, sizeof line - n, "live_overwrite,");
      n += put_fixed(line + n, captured);
      n += std::snprintf(line + n, sizeof line - n, ",,,,\n");
    } else {
      const std::uint64_t queue = next(20000);
      const std::uint64_t compute = 30000 + next(60000) + (i % 100000 < 50 ? 900000 : 0);
      const std::uint64_t sink = 5000 + next(10000);
      const std::uint64_t total = queue + compute + sink + next(3000);
      n += std::snprintf(line + n, sizeof line - n, "written,");
      for (const std::uint64_t value : {captured, queue, compute, sink, total}) {
        n += put_fixed(line + n, value);
        line[n++] = ',';
      }
      line[n - 1] = '\n';
      const char* last = line + n - 1;
      const char* first = last;
      while (first[-1] != ',') --first;
      double parsed = 0;
      std::from_chars(first, last, parsed);
      latencies.push_back(parsed);
    }
    std::fwrite(line, 1, static_cast<std::size_t>(n), out);
  }
  EXPECT_EQ(std::fclose(out), 0);
  return latencies;
}

double nearest_rank(std::vector<double>& values, double q) {
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(std::max<std::size_t>(rank, 1) - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

std::string fixed4(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

TEST(TraceMemory, ADayAt60FpsPlotsInBoundedMemoryWithExactPercentiles) {
  TempDir dir;
  std::vector<double> latencies = write_day_trace(dir / "day.csv");
  const std::string p50 = fixed4(nearest_rank(latencies, 0.50));
  const std::string p99 = fixed4(nearest_rank(latencies, 0.99));
  latencies = {};
  std::FILE* report = std::fopen((dir / "day.json").c_str(), "w");
  ASSERT_NE(report, nullptr);
  std::fputs(R"({"schema": "conveyor.report/1", "pipeline": "day",
  "frames": {"decoded": 5184000, "written": 5130556, "dropped": 53444, "balanced": true},
  "drops": {"live_overwrite": 53444}, "elapsed_s": 86400, "fps": 59.4,
  "latency_ms": {
    "end_to_end": {"count": 1, "mean": 7, "min": 6, "p50": 7, "p90": 8, "p99": 8, "p999": 8, "max": 8},
    "sink": {"count": 1, "mean": 1, "min": 1, "p50": 1, "p90": 1, "p99": 1, "p999": 1, "max": 1}},
  "stages": [], "trace": "day.csv"})",
             report);
  ASSERT_EQ(std::fclose(report), 0);

  rusage before{};
  ::getrusage(RUSAGE_CHILDREN, &before);
  ASSERT_LT(before.ru_maxrss, kMaxRssKiB) << "an earlier child already used more: run alone";
  ProcessOptions options;
  options.working_directory = dir.path();
  options.timeout = std::chrono::minutes(10);
  const ProcessResult result = run_conveyor({"report", "day.json", "--plot", "day.png"}, options);
  rusage after{};
  ::getrusage(RUSAGE_CHILDREN, &after);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::printf("%s`conveyor report --plot`: peak RSS %ld KiB, %.1f s\n", result.out.c_str(),
              after.ru_maxrss, static_cast<double>(result.elapsed.count()) / 1000);
  if (const char* keep = std::getenv("CONVEYOR_KEEP_PLOT")) {
    std::filesystem::copy_file(dir / "day.png", keep,
                               std::filesystem::copy_options::overwrite_existing);
  }
  EXPECT_NE(result.out.find("5184000 frames"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("p50 " + p50 + " ms, p99 " + p99 + " ms"), std::string::npos)
      << "expected p50 " << p50 << " and p99 " << p99 << " in\n"
      << result.out;
  EXPECT_LT(after.ru_maxrss, kMaxRssKiB)
      << "peak RSS of `conveyor report --plot`: " << after.ru_maxrss << " KiB";
  const cv::Mat plot = cv::imread((dir / "day.png").string());
  ASSERT_FALSE(plot.empty());
  EXPECT_EQ(plot.size(), cv::Size(1400, 1000));
}

}  // namespace
}  // namespace conveyor::testing
