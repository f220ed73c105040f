// Latency series with bounded memory: exact under the cap, within 0.07 %
// beyond it, with count, mean, min and max still exact.
#include "conveyor/metrics/latency_samples.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "conveyor/metrics/run_metrics.hpp"

namespace conveyor::testing {
namespace {

using metrics::LatencySamples;
using metrics::Summary;

// Log-normal latencies around 20 ms with a long tail, and a few zeros.
std::vector<double> latencies(std::size_t n, unsigned seed) {
  std::mt19937 random(seed);
  std::lognormal_distribution<double> spread(std::log(20.0), 0.6);
  std::vector<double> values(n);
  for (auto& v : values) v = spread(random);
  for (std::size_t i = 0; i < n; i += 997) values[i] = 0.0;
  return values;
}

TEST(LatencySamples, UnderTheCapTheSummaryIsExact) {
  const auto values = latencies(5000, 3);
  LatencySamples samples(5000);
  for (const double v : values) samples.add(v);
  EXPECT_TRUE(samples.exact());
  const Summary got = samples.summary();
  const Summary want = metrics::summarize(values);
  EXPECT_EQ(got.count, want.count);
  EXPECT_EQ(got.p50, want.p50);
  EXPECT_EQ(got.p90, want.p90);
  EXPECT_EQ(got.p99, want.p99);
  EXPECT_EQ(got.p999, want.p999);
  EXPECT_EQ(got.min, want.min);
  EXPECT_EQ(got.max, want.max);
  EXPECT_DOUBLE_EQ(got.mean, want.mean);
}

TEST(LatencySamples, PastTheCapPercentilesStayWithinATenthOfAPercent) {
  const auto values = latencies(200000, 5);
  LatencySamples samples(1000);
  for (const double v : values) samples.add(v);
  EXPECT_FALSE(samples.exact());
  const Summary got = samples.summary();
  const Summary want = metrics::summarize(values);
  EXPECT_EQ(got.count, values.size());
  EXPECT_EQ(got.min, want.min);
  EXPECT_EQ(got.max, want.max);
  EXPECT_NEAR(got.mean, want.mean, 1e-9 * want.mean);
  for (const auto& [name, approx, exact] :
       {std::tuple{"p50", got.p50, want.p50}, std::tuple{"p90", got.p90, want.p90},
        std::tuple{"p99", got.p99, want.p99}, std::tuple{"p999", got.p999, want.p999}}) {
    EXPECT_NEAR(approx, exact, 0.0007 * exact) << name;
  }
}

TEST(LatencySamples, ExtremesLandInTheEndBinsAndStayExactAsMinAndMax) {
  LatencySamples samples(2);
  for (const double v : {0.0, 1e-6, 5.0, 1e12}) samples.add(v);  // 1e12 ms: beyond the bins
  const Summary s = samples.summary();
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.min, 0.0);
  EXPECT_EQ(s.max, 1e12);
  EXPECT_EQ(s.p50, 0.0);  // the 2nd of 4: under 1 µs
  EXPECT_EQ(s.p90, 1e12) << "beyond the last bin: the exact max";
  EXPECT_EQ(LatencySamples().summary().count, 0u);
  EXPECT_EQ(LatencySamples().summary().p99, 0.0);
}

TEST(LatencySamples, ARunReportSaysWhenPercentilesAreApproximate) {
  metrics::RunMetrics run({"edges"}, {"out"}, "", 10);
  run.start();
  const auto t0 = metrics::Clock::now();
  for (int i = 0; i < 30; ++i) {
    metrics::FrameRecord frame;
    frame.sequence = i;
    frame.captured = t0;
    frame.sink_started = t0 + std::chrono::milliseconds(i);
    frame.sink_finished = frame.sink_started + std::chrono::milliseconds(1);
    run.record(frame);
    if (i == 9) {
      EXPECT_TRUE(run.report(nlohmann::json::object())["latency_exact"].get<bool>());
    }
  }
  run.finish();
  const auto report = run.report(nlohmann::json::object());
  EXPECT_FALSE(report["latency_exact"].get<bool>());
  EXPECT_EQ(report["latency_ms"]["end_to_end"]["count"], 30);
  EXPECT_NE(run.summary_text().find("from a histogram"), std::string::npos);
}

}  // namespace
}  // namespace conveyor::testing
