// The outcome model of docs/metrics.md ("What becomes of a frame"): the
// balance, each sink's own balance, outages beside it, viewer skips, and the
// fixed-bucket histograms that merge runs exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "conveyor/metrics/latency_histogram.hpp"
#include "conveyor/metrics/latency_plot.hpp"
#include "conveyor/metrics/run_metrics.hpp"
#include "support/temp_dir.hpp"

namespace conveyor::testing {
namespace {

using metrics::Clock;
using metrics::DropReason;
using metrics::FrameRecord;
using metrics::LatencyHistogram;
using nlohmann::json;
using std::chrono::microseconds;

constexpr DropReason kOk = DropReason::None;
constexpr DropReason kReject = DropReason::WriterReject;

FrameRecord frame_at(Clock::time_point t0, std::int64_t i, int latency_us) {
  FrameRecord frame;
  frame.sequence = i;
  frame.source_index = i;
  frame.captured = t0 + microseconds(1000 * i);
  frame.stage_times.resize(1);
  frame.stage_times[0].queued = frame.captured;
  frame.stage_times[0].started = frame.captured + microseconds(latency_us / 4);
  frame.stage_times[0].finished = frame.captured + microseconds(latency_us / 2);
  frame.sink_started = frame.captured + microseconds(latency_us * 3 / 4);
  frame.sink_finished = frame.captured + microseconds(latency_us);
  return frame;
}

// Eight frames at two sinks, every way a frame can end.
void mixed_run(metrics::RunMetrics& run) {
  run.start();
  const auto t0 = Clock::now();
  const std::vector<std::vector<DropReason>> at_sinks = {
      {kOk, kOk}, {kOk, kReject}, {kReject, kOk}, {kReject, kReject}, {kOk, kOk}};
  std::int64_t i = 0;
  for (const auto& sinks : at_sinks) {
    FrameRecord frame = frame_at(t0, i++, 5000);
    frame.sinks = sinks;
    frame.drop = sinks[0] == kOk && sinks[1] == kOk ? kOk : kReject;
    run.record(frame);
  }
  for (const DropReason upstream :
       {DropReason::DecodeGap, DropReason::FilterError, DropReason::LiveOverwrite}) {
    FrameRecord frame = frame_at(t0, i++, 5000);
    frame.drop = upstream;  // never reached the sinks
    run.record(frame);
  }
  run.finish();
}

TEST(RunOutcomes, EachSinkHasItsOwnBalanceAndTheFrameIsWrittenOnlyWhenAllAccepted) {
  TempDir dir;
  metrics::RunMetrics run({"edges"}, {"video", "pictures"}, (dir / "t.csv").string());
  mixed_run(run);
  run.set_sink_skipped(0, 2);
  const json report = run.report(json::object());
  EXPECT_EQ(report["schema"], "conveyor.report/2");
  EXPECT_EQ(report["frames"]["decoded"], 8);
  EXPECT_EQ(report["frames"]["written"], 2);
  EXPECT_EQ(report["frames"]["dropped"], 6);
  EXPECT_EQ(report["drops"]["writer_reject"], 3);
  EXPECT_TRUE(report["frames"]["balanced"].get<bool>());
  ASSERT_EQ(report["sinks"].size(), 2u);
  const json& video = report["sinks"][0];
  const json& pictures = report["sinks"][1];
  EXPECT_EQ(video["name"], "video");
  EXPECT_EQ(video["written"], 3);  // frames 0, 1, 4
  EXPECT_EQ(video["drops"]["writer_reject"], 2);
  EXPECT_EQ(video["skipped"], 2);
  EXPECT_EQ(pictures["written"], 3);  // frames 0, 2, 4
  EXPECT_EQ(pictures["drops"]["writer_reject"], 2);
  EXPECT_EQ(pictures["skipped"], 0);
  for (const json& sink : report["sinks"]) {
    EXPECT_EQ(sink["drops"]["decode_gap"], 1);
    EXPECT_EQ(sink["drops"]["filter_error"], 1);
    EXPECT_EQ(sink["drops"]["live_overwrite"], 1);
    EXPECT_EQ(sink["dropped"], 5);
    EXPECT_EQ(sink["written"].get<int>() + sink["dropped"].get<int>(), 8) << sink.dump();
  }
  const std::string text = run.summary_text();
  EXPECT_NE(text.find("  sink 'video': written 3 + dropped 5 (decode_gap 1, filter_error 1, "
                      "writer_reject 2, live_overwrite 1), skipped by the viewer 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  sink 'pictures': written 3 + dropped 5"), std::string::npos) << text;

  // The trace: each sink's outcome in its own column, after the old ones.
  ASSERT_EQ(run.close_trace(), "");
  const metrics::Trace trace = metrics::read_trace((dir / "t.csv").string());
  EXPECT_EQ(trace.sink_names, (std::vector<std::string>{"video", "pictures"}));
  ASSERT_EQ(trace.rows.size(), 8u);
  EXPECT_EQ(trace.rows[1].outcome, "writer_reject");
  EXPECT_EQ(trace.rows[1].sink_outcomes, (std::vector<std::string>{"written", "writer_reject"}));
  EXPECT_EQ(trace.rows[2].sink_outcomes, (std::vector<std::string>{"writer_reject", "written"}));
  EXPECT_EQ(trace.rows[4].sink_outcomes, (std::vector<std::string>{"written", "written"}));
  EXPECT_EQ(trace.rows[5].sink_outcomes, (std::vector<std::string>{"decode_gap", "decode_gap"}));
  EXPECT_NEAR(trace.rows[4].end_to_end_ms, 5.0, 1e-3);
}

TEST(RunOutcomes, TracesWithoutSinkColumnsStillRead) {
  std::istringstream old_trace(
      "sequence,source_index,outcome,captured_ms,e_queue_ms,e_compute_ms,sink_ms,end_to_end_ms\n"
      "0,0,written,1,0.5,2,3,6\n1,1,decode_gap,2,,,,\n");
  const auto trace = metrics::parse_trace(old_trace, "old.csv");
  EXPECT_TRUE(trace.sink_names.empty());
  ASSERT_EQ(trace.rows.size(), 2u);
  EXPECT_EQ(trace.rows[0].end_to_end_ms, 6);
  // A column that is neither a stage's, the sinks' nor a sink outcome is refused.
  for (const std::string header :
       {"sequence,source_index,outcome,captured_ms,sink_ms,end_to_end_ms,extra\n",
        "sequence,source_index,outcome,captured_ms,sink_ms,end_to_end_ms,_outcome\n",
        "sequence,source_index,outcome,captured_ms,sink_ms\n"}) {
    std::istringstream bad(header);
    EXPECT_THROW(metrics::parse_trace(bad, "bad.csv"), std::runtime_error) << header;
  }
  std::istringstream short_row(
      "sequence,source_index,outcome,captured_ms,sink_ms,end_to_end_ms,a_outcome\n"
      "0,0,written,1,2,3\n1,1,written,1,2,3,written\n");
  EXPECT_THROW(metrics::parse_trace(short_row, "short.csv"), std::runtime_error);
}

TEST(RunOutcomes, OutagesAreReportedBesideTheBalanceNotInIt) {
  metrics::RunMetrics quiet({}, {"out"}, "");
  quiet.start();
  quiet.finish();
  EXPECT_EQ(quiet.report(json::object())["outages"], json::array()) << "present, empty";
  EXPECT_EQ(quiet.summary_text().find("outages"), std::string::npos);

  metrics::RunMetrics run({"edges"}, {"out"}, "");
  mixed_run(run);
  const auto start = Clock::now();
  run.record_outage(start, std::chrono::milliseconds(2500), 30);  // 75 periods: 74 missing
  run.record_outage(start + std::chrono::seconds(5), std::chrono::milliseconds(10), 30);
  run.record_outage(start, std::chrono::seconds(1), 0);  // rate unknown: none estimated
  const json report = run.report(json::object());
  ASSERT_EQ(report["outages"].size(), 3u);
  const json& first = report["outages"][0];
  EXPECT_NEAR(first["length_s"].get<double>(), 2.5, 1e-9);
  EXPECT_EQ(first["frames_missed"], 74);
  EXPECT_GE(first["start_s"].get<double>(), 0.0);
  EXPECT_EQ(report["outages"][1]["frames_missed"], 0);  // shorter than a period
  EXPECT_EQ(report["outages"][2]["frames_missed"], 0);
  EXPECT_NEAR(report["outages"][1]["start_s"].get<double>() - first["start_s"].get<double>(), 5.0,
              1e-6);
  // Frames that never existed are not decoded: the balance is untouched.
  EXPECT_EQ(report["frames"]["decoded"], 8);
  EXPECT_TRUE(report["frames"]["balanced"].get<bool>());
  EXPECT_NE(run.summary_text().find("outages: the source gave no frames 3 time(s)"),
            std::string::npos)
      << run.summary_text();
}

TEST(LatencyHistogram, BucketsAreFixedLogSpacedWithUnderAndOverflow) {
  EXPECT_EQ(LatencyHistogram::kBucketCount, 362);
  EXPECT_EQ(LatencyHistogram::bucket_of(0.0), 0);
  EXPECT_EQ(LatencyHistogram::bucket_of(-1.0), 0);
  EXPECT_EQ(LatencyHistogram::bucket_of(std::nan("")), 0);
  EXPECT_EQ(LatencyHistogram::bucket_of(0.0009), 0);
  EXPECT_EQ(LatencyHistogram::bucket_of(0.001), 1);
  EXPECT_EQ(LatencyHistogram::bucket_of(0.00105), 1);  // under 10^(1/40) µs = 1.059 µs
  EXPECT_EQ(LatencyHistogram::bucket_of(0.00107), 2);
  EXPECT_EQ(LatencyHistogram::bucket_of(0.0101), 41);  // the second decade
  EXPECT_EQ(LatencyHistogram::bucket_of(999999.0), 360);
  EXPECT_EQ(LatencyHistogram::bucket_of(1.0e6), 361);
  EXPECT_EQ(LatencyHistogram::bucket_of(1.0e12), 361);
  EXPECT_EQ(LatencyHistogram::bucket_of(INFINITY), 361);
  // Each bucket holds what its bounds say, a sample is in exactly one.
  for (int b = 1; b < 361; ++b) {
    const double low = LatencyHistogram::lower_ms(b);
    const double high = LatencyHistogram::lower_ms(b + 1);
    EXPECT_EQ(LatencyHistogram::bucket_of(std::sqrt(low * high)), b) << b;
    EXPECT_NEAR(high / low, std::pow(10.0, 1.0 / 40), 1e-9);
  }
  LatencyHistogram h;
  for (const double v : {0.0, 2.0, 2.01, 5.0, 2e6}) h.add(v);
  const json j = h.to_json();
  EXPECT_EQ(j["buckets_per_decade"], 40);
  EXPECT_EQ(j["counts"].size(), 4u) << j.dump();  // sparse: 2.0 and 2.01 share a bucket
  EXPECT_EQ(j["counts"][0], json::array({0, 1}));
  EXPECT_EQ(j["counts"][3], json::array({361, 1}));
  EXPECT_EQ(LatencyHistogram::from_json(j), h);
  json other = j;
  other["buckets_per_decade"] = 10;
  EXPECT_THROW(LatencyHistogram::from_json(other), std::invalid_argument);
  other = j;
  other["counts"].push_back({362, 1});
  EXPECT_THROW(LatencyHistogram::from_json(other), std::invalid_argument);
}

// Every latency series of a report, by its path in the report.
std::vector<std::pair<std::string, json>> series_of(const json& report) {
  std::vector<std::pair<std::string, json>> series = {
      {"end_to_end", report["latency_ms"]["end_to_end"]}, {"sink", report["latency_ms"]["sink"]}};
  for (const json& stage : report["stages"]) {
    series.emplace_back(stage["name"].get<std::string>() + ".queue", stage["queue_ms"]);
    series.emplace_back(stage["name"].get<std::string>() + ".compute", stage["compute_ms"]);
  }
  return series;
}

// Two runs' reports merged by adding their histograms give exactly the
// histograms of one run over the union of their frames, for every series;
// count, min, max and mean merge by the documented rule.
TEST(LatencyHistogram, TwoRunsMergeExactlyIntoTheRunOverTheUnionOfTheirSamples) {
  std::mt19937 random(5);
  std::lognormal_distribution<double> latency_us(std::log(8000.0), 0.9);
  std::vector<FrameRecord> frames;
  const auto t0 = Clock::now();
  for (int i = 0; i < 3000; ++i) {
    FrameRecord frame = frame_at(t0, i, 4 + static_cast<int>(latency_us(random)));
    frame.sinks = {kOk};
    frames.push_back(frame);
  }
  const auto run_over = [&](std::size_t from, std::size_t to) {
    // A small exact cap: the union run's summaries come from LatencySamples'
    // own bins, its report histogram must still be the exact sum.
    auto run = std::make_unique<metrics::RunMetrics>(std::vector<std::string>{"a", "b"},
                                                     std::vector<std::string>{"out"}, "", 1000);
    run->start();
    for (std::size_t i = from; i < to; ++i) {
      FrameRecord frame = frames[i];
      frame.stage_times.push_back(frame.stage_times[0]);  // stage b = stage a
      run->record(frame);
    }
    run->finish();
    return run->report(json::object());
  };
  const json first = run_over(0, 1200);
  const json second = run_over(1200, 3000);
  const json both = run_over(0, 3000);
  const auto a = series_of(first), b = series_of(second), whole = series_of(both);
  ASSERT_EQ(a.size(), 6u);
  for (std::size_t s = 0; s < whole.size(); ++s) {
    SCOPED_TRACE(whole[s].first);
    LatencyHistogram merged = LatencyHistogram::from_json(a[s].second["histogram"]);
    merged.merge(LatencyHistogram::from_json(b[s].second["histogram"]));
    const LatencyHistogram expected = LatencyHistogram::from_json(whole[s].second["histogram"]);
    EXPECT_EQ(merged, expected);
    EXPECT_EQ(merged.to_json(), whole[s].second["histogram"]);
    EXPECT_EQ(merged.count(), 3000u);
    EXPECT_GT(merged.to_json()["counts"].size(), 20u) << "the samples spread over many buckets";
    const json& x = a[s].second;
    const json& y = b[s].second;
    const json& u = whole[s].second;
    EXPECT_EQ(x["count"].get<int>() + y["count"].get<int>(), u["count"].get<int>());
    EXPECT_EQ(std::min(x["min"].get<double>(), y["min"].get<double>()), u["min"].get<double>());
    EXPECT_EQ(std::max(x["max"].get<double>(), y["max"].get<double>()), u["max"].get<double>());
    const double mean = (x["mean"].get<double>() * x["count"].get<double>() +
                         y["mean"].get<double>() * y["count"].get<double>()) /
                        u["count"].get<double>();
    EXPECT_NEAR(mean, u["mean"].get<double>(), 1e-9 * u["mean"].get<double>());
  }
}

}  // namespace
}  // namespace conveyor::testing
