// `conveyor report`: the summary, the latency plot, and every way the report
// or the trace can be wrong.
#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

namespace fs = std::filesystem;

std::string summary_json(int count, double p50) {
  const std::string n = std::to_string(count);
  const std::string p = std::to_string(p50);
  return R"({"count": )" + n + R"(, "mean": )" + p + R"(, "min": 1.0, "p50": )" + p +
         R"(, "p90": 9.0, "p99": 12.0, "p999": 14.0, "max": 14.0})";
}

std::string report_json(const std::string& trace) {
  return R"({"schema": "conveyor.report/1", "pipeline": "demo", "source": "testpattern",
  "frames": {"decoded": 6, "written": 5, "dropped": 1, "balanced": true},
  "drops": {"decode_gap": 1, "filter_error": 0, "writer_reject": 0, "live_overwrite": 0,
            "shutdown_discard": 0},
  "elapsed_s": 0.2, "fps": 25.0,
  "latency_ms": {"end_to_end": )" +
         summary_json(5, 7.5) + R"(, "sink": )" + summary_json(5, 2.0) + R"(},
  "stages": [{"name": "edges", "queue_ms": )" +
         summary_json(5, 0.5) + R"(, "compute_ms": )" + summary_json(5, 4.0) + R"(}], "trace": ")" +
         trace + R"("})";
}

const char* kTrace =
    "sequence,source_index,outcome,captured_ms,edges_queue_ms,edges_compute_ms,sink_ms,"
    "end_to_end_ms\n"
    "0,0,written,0.1,0.5,4.0,2.0,7.0\n"
    "1,1,written,40.1,0.6,4.1,2.1,7.5\n"
    "2,2,decode_gap,80.1,,,,\n"
    "3,3,written,120.0,0.4,4.2,2.0,7.3\n"
    "4,4,written,160.2,0.5,9.0,2.2,12.0\n"
    "5,5,written,200.0,0.5,4.0,2.0,7.1\n";

class ReportCommand : public CliTest {};

TEST_F(ReportCommand, PrintsTheSummaryAndDrawsThePlot) {
  write("frames.csv", kTrace);
  write("report.json", report_json("frames.csv"));
  const auto result = conveyor({"report", "report.json", "--plot", "latency.png"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  for (const char* text : {"frames: decoded 6 = written 5 + dropped 1", "decode_gap 1", "p99.9",
                           "end to end", "edges compute", "plot: latency.png"}) {
    EXPECT_NE(result.out.find(text), std::string::npos) << "missing '" << text << "'\n"
                                                        << describe(result);
  }
  const cv::Mat plot = cv::imread((dir / "latency.png").string());
  ASSERT_FALSE(plot.empty());
  EXPECT_EQ(plot.size(), cv::Size(1400, 1000));
}

TEST_F(ReportCommand, FindsTheTraceBesideTheReport) {
  fs::create_directories(dir / "run");
  write("run/frames.csv", kTrace);
  write("run/report.json", report_json("out/frames.csv"));  // as written by the run
  const auto result = conveyor({"report", "run/report.json", "--plot", "p.png"});
  EXPECT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_TRUE(fs::exists(dir / "p.png"));
}

TEST_F(ReportCommand, SummaryAloneNeedsNoTrace) {
  write("report.json", report_json(""));
  EXPECT_EQ(conveyor({"report", "report.json"}).exit_code, 0);
}

TEST_F(ReportCommand, MissingReportIsAnInputError) {
  expect_error(conveyor({"report", "nope.json"}), 3,
               {"'nope.json'", "no such file", "conveyor.report/1"});
}

TEST_F(ReportCommand, InvalidJsonIsAnInputError) {
  write("bad.json", "{\"schema\": ");
  expect_error(conveyor({"report", "bad.json"}), 3, {"'bad.json'", "not valid JSON"});
}

TEST_F(ReportCommand, AnotherSchemaIsAnInputError) {
  write("other.json", R"({"schema": "something/2"})");
  expect_error(conveyor({"report", "other.json"}), 3,
               {"'other.json'", "something/2", "conveyor.report/1"});
}

TEST_F(ReportCommand, MissingKeyIsNamed) {
  write("partial.json", R"({"schema": "conveyor.report/1", "frames": {"decoded": 1}})");
  expect_error(conveyor({"report", "partial.json"}), 3, {"frames.written"});
}

// Schema 2 adds each sink's own counts, the source's outages and histograms;
// a trace with per-sink columns plots like any other.
TEST_F(ReportCommand, ReadsSchemaTwoWithSinksOutagesAndSinkColumns) {
  std::string report = report_json("frames.csv");
  report.replace(report.find("conveyor.report/1"), 17, "conveyor.report/2");
  report.insert(report.rfind('}'), R"(, "sinks": [
    {"name": "video", "written": 6, "dropped": 0, "skipped": 0, "drops": {"decode_gap": 0}},
    {"name": "window", "written": 5, "dropped": 1, "skipped": 2,
     "drops": {"decode_gap": 0, "writer_reject": 1}}],
  "outages": [{"start_s": 12.5, "length_s": 2.25, "frames_missed": 66}])");
  write("report.json", report);
  std::string trace = kTrace;
  trace.replace(trace.find("end_to_end_ms\n"), 14, "end_to_end_ms,video_outcome,window_outcome\n");
  for (std::size_t at = trace.find('\n', trace.find("end_to_end_ms")) + 1; at < trace.size();
       at = trace.find('\n', at) + 1) {
    trace.insert(trace.find('\n', at), ",written,written");
  }
  write("frames.csv", trace);
  const auto result = conveyor({"report", "report.json", "--plot", "latency.png"});
  ASSERT_EQ(result.exit_code, 0) << describe(result) << trace;
  for (const char* text :
       {"  sink 'video': written 6 + dropped 0\n",
        "  sink 'window': written 5 + dropped 1 (writer_reject 1), skipped by "
        "the viewer 2\n",
        "outage: at 12.50 s for 2.25 s, about 66 frame(s) missed", "plot: latency.png"}) {
    EXPECT_NE(result.out.find(text), std::string::npos) << "missing '" << text << "'\n"
                                                        << describe(result);
  }
  write("bad.json", R"({"schema": "conveyor.report/2", "frames": {"decoded": 1, "written": 1,
    "dropped": 0}, "drops": {}, "sinks": [{"name": "x", "written": "many"}]})");
  expect_error(conveyor({"report", "bad.json"}), 3,
               {"'bad.json'", "'sinks[0].written' is not a number"});
}

TEST_F(ReportCommand, PlotWithoutATraceIsAUsageError) {
  write("report.json", report_json(""));
  expect_error(conveyor({"report", "report.json", "--plot", "p.png"}), 2, {"--trace"});
}

TEST_F(ReportCommand, MissingTraceIsAnInputError) {
  write("report.json", report_json("gone.csv"));
  expect_error(conveyor({"report", "report.json", "--plot", "p.png"}), 3, {"gone.csv"});
}

TEST_F(ReportCommand, UnwritablePlotIsAnOutputError) {
  write("frames.csv", kTrace);
  write("report.json", report_json("frames.csv"));
  expect_error(conveyor({"report", "report.json", "--plot", "no/such/folder/p.png"}), 4,
               {"no/such/folder/p.png"});
}

}  // namespace
}  // namespace conveyor::testing
