// `conveyor report REPORT.json [--plot latency.png] [--trace frames.csv]`:
// prints the summary of a run's JSON report and draws its latency plot from
// the per-frame CSV trace (docs/metrics.md).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "conveyor/metrics/latency_plot.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "path_guard.hpp"
#include "report_reader.hpp"

namespace conveyor::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using util::ExitCode;
using util::ExitError;

struct ReportArgs {
  std::string report;
  std::string plot;
  std::string trace;
};

// --trace, else the report's "trace" key: as written (relative to the
// working directory of the run), then relative to the report's folder.
std::string find_trace(const json& report, const ReportArgs& args) {
  if (!args.trace.empty()) return args.trace;
  if (!report.contains("trace") || !report["trace"].is_string() ||
      report["trace"].get<std::string>().empty()) {
    throw ExitError(ExitCode::Usage,
                    "--plot needs the per-frame trace, and report '" + args.report +
                        "' names none; pass --trace FILE (the run's metrics.trace CSV)");
  }
  const fs::path trace = report["trace"].get<std::string>();
  std::error_code error;
  if (trace.is_relative() && !fs::exists(trace, error)) {
    const fs::path beside = fs::path(args.report).parent_path() / trace.filename();
    if (fs::exists(beside, error)) return beside.string();
  }
  return trace.string();
}

// A count from the report as a picture label: clamped, never an overflow.
std::int64_t count_at(const json& report, const std::string& path, const std::string& key) {
  return static_cast<std::int64_t>(std::clamp(number_at(report, path, key), -1.0, 1e15));
}

ExitCode run_report(const ReportArgs& args) {
  const NamedPath plot{"--plot", args.plot};
  if (!args.plot.empty()) refuse_overwrites("report", {{"the report", args.report}}, {plot});
  const json report = load_report(args.report);
  print_summary(stdout, report, args.report);
  if (args.plot.empty()) return ExitCode::Ok;
  const std::string trace_path = find_trace(report, args);
  refuse_overwrites("report", {{"the trace", trace_path}}, {plot});
  metrics::PlotLabels labels;
  const json pipeline = report.value("pipeline", json());
  labels.pipeline =
      pipeline.is_string() ? pipeline.get<std::string>() : fs::path(args.report).stem().string();
  labels.frames = count_at(report, args.report, "frames.written");
  labels.fps = number_at(report, args.report, "fps");
  labels.dropped = count_at(report, args.report, "frames.dropped");
  // The trace is streamed in passes, never loaded whole (any length plots in
  // bounded memory); it must be a regular file.
  cv::Mat picture;
  std::int64_t rows = 0;
  metrics::Summary latency;
  try {
    metrics::TraceFile trace(trace_path);
    picture = metrics::draw_latency_plot(trace, labels, cv::Size(1400, 1000), &latency);
    rows = trace.rows();
  } catch (const std::exception& e) {
    const std::string what = e.what();
    const bool says_expected = what.find("; expected") != std::string::npos;
    throw ExitError(ExitCode::Input, what + (says_expected ? ""
                                                           : "; expected the per-frame CSV written "
                                                             "by `conveyor run` (metrics.trace)"));
  }
  try {
    // The PNG encoder is the media plugin's (loaded now, not before).
    metrics::write_plot_image(args.plot, picture,
                              [](const std::string& path, const cv::Mat& image) {
                                return pipeline::write_image(path, image);
                              });
  } catch (const std::exception& e) {
    throw ExitError(ExitCode::Output, e.what());
  }
  std::printf("plot: %s (from %s, %lld frames; end to end p50 %.4f ms, p99 %.4f ms)\n",
              args.plot.c_str(), trace_path.c_str(), static_cast<long long>(rows), latency.p50,
              latency.p99);
  return ExitCode::Ok;
}

}  // namespace

Command setup_report_command(CLI::App& root) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* app = root.add_subcommand(
      "report",
      "Summarize a run's JSON report (frames, drops by reason, fps, latency percentiles\n"
      "per stage) and, with --plot, draw its latency as a PNG: per-frame latency stacked\n"
      "by stage over the run, and a histogram of end-to-end latency with p50 and p99.");
  app->add_option("report", args->report, "JSON report of a run (metrics.report)")->required();
  app->add_option("--plot", args->plot, "Write the latency plot to this PNG file");
  app->add_option("--trace", args->trace,
                  "Per-frame CSV trace (metrics.trace); default: the report's \"trace\" key");
  app->footer(util::exit_codes_help());
  return {app, [args]() { return run_report(*args); }};
}

}  // namespace conveyor::app
