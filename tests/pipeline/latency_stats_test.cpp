// Latency statistics, the JSON report against docs/metrics.md, the CSV trace
// and the latency plot.
#include "conveyor/metrics/latency_stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <regex>
#include <sstream>

#include "conveyor/metrics/latency_plot.hpp"
#include "conveyor/metrics/run_metrics.hpp"
#include "support/temp_dir.hpp"

namespace conveyor::testing {
namespace {

using metrics::Clock;
using metrics::summarize;
using nlohmann::json;
using std::chrono::microseconds;

// Nearest rank in integer arithmetic: the smallest value with at least
// permille/1000 of the samples at or below it.
double reference_percentile(std::vector<double> values, long long permille) {
  std::sort(values.begin(), values.end());
  const auto n = static_cast<long long>(values.size());
  const long long rank = std::max(1LL, (permille * n + 999) / 1000);
  return values[static_cast<std::size_t>(rank - 1)];
}

TEST(LatencyStats, PercentilesMatchASortedNearestRankReference) {
  std::mt19937 random(7);
  for (const std::size_t n : {1, 2, 3, 10, 99, 100, 101, 999, 1000, 1001, 4097}) {
    std::vector<double> values(n);
    // Few distinct values: many ties.
    for (auto& v : values) v = 0.25 * static_cast<double>(random() % 23);
    const metrics::Summary s = summarize(values);
    SCOPED_TRACE("n = " + std::to_string(n));
    EXPECT_EQ(s.count, n);
    EXPECT_EQ(s.p50, reference_percentile(values, 500));
    EXPECT_EQ(s.p90, reference_percentile(values, 900));
    EXPECT_EQ(s.p99, reference_percentile(values, 990));
    EXPECT_EQ(s.p999, reference_percentile(values, 999));
    EXPECT_EQ(s.min, *std::min_element(values.begin(), values.end()));
    EXPECT_EQ(s.max, *std::max_element(values.begin(), values.end()));
    const double sum = std::accumulate(values.begin(), values.end(), 0.0);
    EXPECT_NEAR(s.mean, sum / static_cast<double>(n), 1e-9);
  }
}

TEST(LatencyStats, SmallCasesByHand) {
  EXPECT_EQ(summarize({}).count, 0u);
  EXPECT_EQ(summarize({}).p99, 0.0);
  const auto one = summarize({4.5});
  EXPECT_EQ(one.p50, 4.5);
  EXPECT_EQ(one.p999, 4.5);
  const auto two = summarize({9, 1});
  EXPECT_EQ(two.p50, 1);  // rank ceil(0.5 * 2) = 1
  EXPECT_EQ(two.p90, 9);
  const auto four = summarize({4, 3, 2, 1});
  EXPECT_EQ(four.p50, 2);
  EXPECT_EQ(metrics::percentile_sorted({1, 2, 3}, 0.0), 1);
  EXPECT_EQ(metrics::percentile_sorted({1, 2, 3}, 1.0), 3);
  EXPECT_EQ(metrics::percentile_sorted({}, 0.5), 0);
}

TEST(LatencyStats, SlidingWindowKeepsTheLastSamples) {
  metrics::SlidingWindow window(3);
  EXPECT_EQ(window.summary().count, 0u);
  for (int i = 1; i <= 5; ++i) window.add(i);
  const auto s = window.summary();
  EXPECT_EQ(s.count, 3u);
  EXPECT_EQ(s.min, 3);
  EXPECT_EQ(s.max, 5);
  EXPECT_EQ(s.p50, 4);
  EXPECT_DOUBLE_EQ(s.mean, 4);
}

// A run of `count` frames 10 ms apart: stage queue 1 ms, compute 2 ms, wait
// 0.5 ms, sink 3 ms; every fifth frame is dropped as a filter error; then two
// frames a live source replaced.
void synthetic_run(metrics::RunMetrics& run, int count) {
  run.start();
  const auto t0 = Clock::now();
  for (int i = 0; i < count; ++i) {
    metrics::FrameRecord frame;
    frame.sequence = i;
    frame.source_index = 100 + i;
    frame.captured = t0 + microseconds(10000 * i);
    frame.stage_times.resize(1);
    auto& t = frame.stage_times[0];
    t.queued = frame.captured;
    t.started = t.queued + microseconds(1000 + 10 * i);
    t.finished = t.started + microseconds(2000);
    if (i % 5 == 4) {
      frame.drop = metrics::DropReason::FilterError;
    } else {
      frame.sink_started = t.finished + microseconds(500);
      frame.sink_finished = frame.sink_started + microseconds(3000);
    }
    run.record(frame);
  }
  for (int i = count; i < count + 2; ++i) {
    metrics::FrameRecord frame;
    frame.sequence = i;
    frame.source_index = 100 + i;
    frame.captured = t0 + microseconds(10000 * i);
    frame.drop = metrics::DropReason::LiveOverwrite;
    run.record(frame);
  }
  run.finish();
}

struct DocumentedKey {
  std::string type;
  bool summary_field = false;  // a key of the Summary object
};

// The key tables of docs/metrics.md: "| `key` | type | unit | meaning |".
std::map<std::string, DocumentedKey> documented_keys() {
  std::ifstream doc(std::string(CONVEYOR_SOURCE_DIR) + "/docs/metrics.md");
  EXPECT_TRUE(doc.good()) << "docs/metrics.md is missing";
  std::map<std::string, DocumentedKey> keys;
  const std::regex row(R"(^\| `([^`]+)` \| (\w+) \|)");
  std::string section;
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("## ", 0) == 0 || line.rfind("### ", 0) == 0) section = line;
    std::smatch m;
    if (section.find("CSV") != std::string::npos) continue;
    if (std::regex_search(line, m, row)) {
      const bool summary = section.find("Summary") != std::string::npos;
      keys[(summary ? "summary." : "") + m[1].str()] = {m[2].str(), summary};
    }
  }
  return keys;
}

bool has_type(const json& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "object" || type == "summary") return value.is_object();
  if (type == "array") return value.is_array();
  return false;
}

// Looks up "a.b.c" or "stages[].name" (in every array element).
std::vector<const json*> lookup(const json& root, const std::string& path) {
  std::vector<const json*> nodes{&root};
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t dot = path.find('.', start);
    if (dot == std::string::npos) dot = path.size();
    std::string key = path.substr(start, dot - start);
    const bool each = key.size() > 2 && key.compare(key.size() - 2, 2, "[]") == 0;
    if (each) key.resize(key.size() - 2);
    std::vector<const json*> next;
    for (const json* node : nodes) {
      if (!node->is_object() || !node->contains(key)) return {};
      const json& child = (*node)[key];
      if (!each) next.push_back(&child);
      if (each && child.is_array()) {
        for (const auto& element : child) next.push_back(&element);
      }
    }
    nodes = next;
    start = dot + 1;
  }
  return nodes;
}

TEST(RunReport, MatchesTheDocumentedSchema) {
  TempDir dir;
  metrics::RunMetrics run({"edges"}, {"out"}, (dir / "frames.csv").string());
  synthetic_run(run, 20);
  run.record_outage(Clock::now(), std::chrono::seconds(1), 30);
  const json extra = {{"pipeline", "synthetic"}, {"source", "test"},  {"outputs", ""},
                      {"trace", "frames.csv"},   {"threads", 2},      {"max_in_flight", 1},
                      {"live", false},           {"exit_code", 0},    {"message", ""},
                      {"threads_requested", 2},  {"source_notes", ""}};
  const json report = run.report(extra);
  const auto keys = documented_keys();
  ASSERT_GT(keys.size(), 30u);
  for (const auto& [path, key] : keys) {
    if (key.summary_field) continue;
    const auto nodes = lookup(report, path);
    ASSERT_FALSE(nodes.empty()) << "documented key '" << path << "' is missing";
    for (const json* node : nodes) {
      EXPECT_TRUE(has_type(*node, key.type)) << path << " is not " << key.type;
      if (key.type != "summary") continue;
      std::size_t fields = 0;
      for (const auto& [field, spec] : keys) {
        if (!spec.summary_field) continue;
        const std::string name = field.substr(8);
        const auto found = lookup(*node, name);
        ASSERT_EQ(found.size(), 1u) << path << "." << name << " is missing";
        EXPECT_TRUE(has_type(*found.front(), spec.type)) << path << "." << name;
        if (name.find('.') == std::string::npos) ++fields;
      }
      EXPECT_EQ(node->size(), fields) << path << " has undocumented keys";
    }
  }
  // Every key the report has is documented.
  for (const auto& [name, value] : report.items()) {
    EXPECT_TRUE(keys.count(name)) << "undocumented key '" << name << "'";
    if (!value.is_object()) continue;
    for (const auto& [child, unused] : value.items()) {
      EXPECT_TRUE(keys.count(name + "." + child)) << "undocumented key '" << name << "." << child;
    }
  }

  EXPECT_EQ(report["schema"], "conveyor.report/2");
  const auto& frames = report["frames"];
  EXPECT_EQ(frames["decoded"], 22);
  EXPECT_EQ(frames["written"], 16);
  EXPECT_EQ(frames["dropped"], 6);
  EXPECT_EQ(frames["decoded"].get<int>(),
            frames["written"].get<int>() + frames["dropped"].get<int>());
  EXPECT_TRUE(frames["balanced"].get<bool>());
  EXPECT_EQ(report["drops"]["filter_error"], 4);
  EXPECT_EQ(report["drops"]["live_overwrite"], 2);
  const auto& e2e = report["latency_ms"]["end_to_end"];
  EXPECT_EQ(e2e["count"], 16);
  EXPECT_NEAR(e2e["min"].get<double>(), 6.5, 1e-6);  // 1 + 2 + 0.5 + 3 ms
  EXPECT_NEAR(report["stages"][0]["compute_ms"]["p99"].get<double>(), 2.0, 1e-6);
  EXPECT_EQ(report["stages"][0]["name"], "edges");
}

TEST(RunTrace, RowsReadBackWithTheirStageColumns) {
  TempDir dir;
  {
    metrics::RunMetrics run({"edges"}, {"out"}, (dir / "frames.csv").string());
    synthetic_run(run, 10);
    // Written under a temporary name until complete.
    EXPECT_FALSE(std::filesystem::exists(dir / "frames.csv"));
    ASSERT_EQ(run.close_trace(), "");
    EXPECT_TRUE(run.trace_written());
  }
  const metrics::Trace trace = metrics::read_trace((dir / "frames.csv").string());
  ASSERT_EQ(trace.stage_names, std::vector<std::string>{"edges"});
  ASSERT_EQ(trace.rows.size(), 12u);  // every frame decoded has a row, dropped ones too
  EXPECT_EQ(trace.rows[3].source_index, 103);
  EXPECT_TRUE(trace.rows[3].written());
  EXPECT_EQ(trace.rows[4].outcome, "filter_error");
  EXPECT_EQ(trace.rows[11].outcome, "live_overwrite");
  EXPECT_EQ(trace.rows[11].sequence, 11);
  EXPECT_NEAR(trace.rows[11].captured_ms, 110.0, 1.0);
  EXPECT_NEAR(trace.rows[0].end_to_end_ms, 6.5, 1e-3);
  EXPECT_NEAR(trace.rows[0].compute_ms[0], 2.0, 1e-3);
  EXPECT_NEAR(trace.rows[0].sink_ms, 3.0, 1e-3);
}

TEST(RunTrace, AnUnfinishedTraceLeavesNoFileBehind) {
  TempDir dir;
  {
    metrics::RunMetrics run({"edges"}, {"out"}, (dir / "frames.csv").string());
    synthetic_run(run, 5);
  }  // never closed: the run did not end normally
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(RunTrace, ABadFileNamesTheLine) {
  std::istringstream bad(
      "sequence,source_index,outcome,captured_ms,sink_ms,end_to_end_ms\n"
      "0,0,written,1,2,3\n1,1,written,x,2,3\n");
  try {
    metrics::parse_trace(bad, "t.csv");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("'t.csv' line 3"), std::string::npos) << e.what();
  }
  std::istringstream other("a,b,c\n");
  EXPECT_THROW(metrics::parse_trace(other, "t.csv"), std::runtime_error);
}

TEST(RunTrace, ALastLineCutShortByAKillIsDropped) {
  std::istringstream cut(
      "sequence,source_index,outcome,captured_ms,sink_ms,end_to_end_ms\n"
      "0,0,written,1,2,3\n1,1,written,4,2");
  const auto trace = metrics::parse_trace(cut, "t.csv");
  EXPECT_EQ(trace.rows.size(), 1u);
}

TEST(LatencyPlot, WritesAReadablePng) {
  TempDir dir;
  {
    metrics::RunMetrics run({"edges"}, {"out"}, (dir / "frames.csv").string());
    synthetic_run(run, 3000);  // more frames than pixel columns
    ASSERT_EQ(run.close_trace(), "");
  }
  const auto trace = metrics::read_trace((dir / "frames.csv").string());
  const auto png = dir / "latency.png";
  metrics::write_latency_plot(
      png.string(), trace, {"synthetic", 2400, 29.97},
      [](const std::string& path, const cv::Mat& image) { return cv::imwrite(path, image); });
  const cv::Mat picture = cv::imread(png.string());
  ASSERT_FALSE(picture.empty());
  EXPECT_EQ(picture.size(), cv::Size(1400, 1000));
  // Not a blank page: the stacked bars and the histogram put colour on it.
  cv::Mat gray;
  cv::cvtColor(picture, gray, cv::COLOR_BGR2GRAY);
  EXPECT_GT(cv::countNonZero(gray < 250), 1400 * 1000 / 20);
}

// Rows made on the fly, read as often as the plot likes: nothing is held.
class GeneratedTrace : public metrics::TraceSource {
 public:
  GeneratedTrace(std::int64_t rows, double spread) : rows_(rows), spread_(spread) {}
  const std::vector<std::string>& stage_names() const override { return names_; }
  void for_each_row(const std::function<void(const metrics::TraceRow&)>& visit) override {
    std::mt19937_64 random(11);
    std::uniform_real_distribution<double> jitter(0.0, spread_);
    metrics::TraceRow row{0, 0, "written", 0, {0.5}, {2.0}, 1.0, 0, {}};
    for (std::int64_t i = 0; i < rows_; ++i) {
      row.sequence = row.source_index = i;
      row.outcome = i % 89 == 3 ? "live_overwrite" : "written";
      // Many equal values and a few negative zeros: ties must not move a rank.
      row.end_to_end_ms = i % 7 == 0 ? 4.0 : (i % 1000 == 1 ? -0.0 : 3.5 + jitter(random));
      visit(row);
    }
  }
  std::vector<double> written_latencies() {
    std::vector<double> values;
    for_each_row([&](const metrics::TraceRow& row) {
      if (row.written()) values.push_back(row.end_to_end_ms);
    });
    return values;
  }

 private:
  std::int64_t rows_;
  double spread_;
  std::vector<std::string> names_{"edges"};
};

TEST(LatencyPlot, PercentilesOfLongTracesAreExact) {
  // Beyond 2^20 written frames p50 and p99 are selected in passes, not sorted.
  for (const double spread : {1e-9, 0.01, 1000.0}) {
    SCOPED_TRACE(spread);
    GeneratedTrace trace(1'500'000, spread);  // 1e-9: one bucket over 2^20
    const metrics::Summary expected = metrics::summarize(trace.written_latencies());
    metrics::Summary shown;
    const cv::Mat picture =
        metrics::draw_latency_plot(trace, {"long", 1, 60}, {1400, 1000}, &shown);
    EXPECT_FALSE(picture.empty());
    EXPECT_EQ(shown.count, expected.count);
    EXPECT_EQ(shown.p50, expected.p50);
    EXPECT_EQ(shown.p99, expected.p99);
    EXPECT_EQ(shown.min, expected.min);
    EXPECT_EQ(shown.max, expected.max);
  }
}

TEST(LatencyPlot, EmptyAndTinyTracesStillDraw) {
  metrics::Trace empty;
  EXPECT_EQ(metrics::draw_latency_plot(empty, {}).size(), cv::Size(1400, 1000));
  metrics::Trace one;
  one.rows.push_back({0, 0, "written", 0, {}, {}, 1.0, 2.0, {}});
  one.rows.push_back({1, 1, "decode_gap", 0, {}, {}, 0, 0, {}});
  EXPECT_FALSE(metrics::draw_latency_plot(one, {"one", 1, 1}).empty());
}

}  // namespace
}  // namespace conveyor::testing
