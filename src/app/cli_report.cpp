// `conveyor report REPORT.json [--plot latency.png] [--trace frames.csv]`:
// prints the summary of a run's JSON report and draws its latency plot from
// the per-frame CSV trace (docs/metrics.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "conveyor/metrics/latency_plot.hpp"

namespace conveyor::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using util::ExitCode;
using util::ExitError;

constexpr const char* kSchema = "conveyor.report/1";

struct ReportArgs {
  std::string report;
  std::string plot;
  std::string trace;
};

[[noreturn]] void bad_report(const std::string& path, const std::string& what) {
  throw ExitError(ExitCode::Input, "report '" + path + "': " + what +
                                       "; expected a JSON report written by `conveyor run` "
                                       "(schema " +
                                       kSchema + ", see docs/metrics.md)");
}

json load_report(const std::string& path) {
  std::error_code error;
  if (!fs::exists(path, error)) bad_report(path, "no such file");
  if (fs::is_directory(path, error)) bad_report(path, "is a directory");
  std::ifstream in(path);
  if (!in) bad_report(path, "cannot be read");
  json report;
  try {
    report = json::parse(in);
  } catch (const json::parse_error& e) {
    bad_report(path, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!report.is_object()) bad_report(path, "the top level is not an object");
  if (!report.contains("schema") || report["schema"] != kSchema) {
    bad_report(path, "schema is " + (report.contains("schema") ? report["schema"].dump()
                                                               : std::string("missing")));
  }
  return report;
}

// The value at a dotted key path, checked to be a number.
double number_at(const json& report, const std::string& path, const std::string& key_path) {
  const json* node = &report;
  std::size_t start = 0;
  while (start <= key_path.size()) {
    const std::size_t dot = key_path.find('.', start);
    const std::string key =
        key_path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(key))
      bad_report(path, "missing key '" + key_path + "'");
    node = &(*node)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (!node->is_number()) bad_report(path, "'" + key_path + "' is not a number");
  return node->get<double>();
}

void print_row(const json& report, const std::string& path, const std::string& label,
               const std::string& key) {
  std::printf("  %-22s %8.0f", label.c_str(), number_at(report, path, key + ".count"));
  for (const char* field : {"mean", "p50", "p90", "p99", "p999", "max"}) {
    std::printf(" %9.3f", number_at(report, path, key + "." + field));
  }
  std::printf("\n");
}

void print_summary(const json& report, const std::string& path) {
  const auto decoded = number_at(report, path, "frames.decoded");
  const auto written = number_at(report, path, "frames.written");
  const auto dropped = number_at(report, path, "frames.dropped");
  std::printf("report: %s\n", path.c_str());
  if (report.contains("pipeline") && report["pipeline"].is_string()) {
    std::printf("pipeline: %s", report["pipeline"].get<std::string>().c_str());
    if (report.contains("source") && report["source"].is_string()) {
      std::printf("  (source: %s)", report["source"].get<std::string>().c_str());
    }
    std::printf("\n");
  }
  std::printf("frames: decoded %.0f = written %.0f + dropped %.0f  [%s]\n", decoded, written,
              dropped, decoded == written + dropped ? "balanced" : "NOT BALANCED");
  if (!report.contains("drops") || !report["drops"].is_object())
    bad_report(path, "missing key 'drops'");
  std::string drops;
  for (const auto& [reason, count] : report["drops"].items()) {
    if (!count.is_number()) bad_report(path, "'drops." + reason + "' is not a number");
    if (count.get<double>() > 0) {
      drops += (drops.empty() ? "" : ", ") + reason + " " + std::to_string(count.get<long long>());
    }
  }
  std::printf("drops: %s\n", drops.empty() ? "none" : drops.c_str());
  std::printf("speed: %.2f fps over %.2f s\n", number_at(report, path, "fps"),
              number_at(report, path, "elapsed_s"));
  if (report.contains("source_stalls") && number_at(report, path, "source_stalls.count") > 0) {
    std::printf(
        "stalls: the paced source fell behind %.0f time(s), longest %.1f ms, %.0f frame(s)"
        " superseded\n",
        number_at(report, path, "source_stalls.count"),
        number_at(report, path, "source_stalls.max_ms"),
        number_at(report, path, "source_stalls.frames"));
  }
  std::printf(
      "latency (ms)                count      mean       p50       p90       p99"
      "     p99.9       max\n");
  print_row(report, path, "end to end", "latency_ms.end_to_end");
  print_row(report, path, "sink", "latency_ms.sink");
  if (!report.contains("stages") || !report["stages"].is_array())
    bad_report(path, "missing key 'stages'");
  for (std::size_t i = 0; i < report["stages"].size(); ++i) {
    const json& stage = report["stages"][i];
    const std::string name = stage.value("name", "stage" + std::to_string(i + 1));
    json wrapper = {{"s", stage}};  // number_at walks objects only
    print_row(wrapper, path, name + " queue", "s.queue_ms");
    print_row(wrapper, path, name + " compute", "s.compute_ms");
  }
}

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

ExitCode run_report(const ReportArgs& args) {
  const json report = load_report(args.report);
  print_summary(report, args.report);
  if (args.plot.empty()) return ExitCode::Ok;
  const std::string trace_path = find_trace(report, args);
  metrics::Trace trace;
  try {
    trace = metrics::read_trace(trace_path);
  } catch (const std::exception& e) {
    throw ExitError(ExitCode::Input, std::string(e.what()) +
                                         "; expected the per-frame CSV written by `conveyor run` "
                                         "(metrics.trace)");
  }
  metrics::PlotLabels labels;
  labels.pipeline = report.value("pipeline", fs::path(args.report).stem().string());
  labels.frames = static_cast<std::int64_t>(number_at(report, args.report, "frames.written"));
  labels.fps = number_at(report, args.report, "fps");
  labels.dropped = static_cast<std::int64_t>(number_at(report, args.report, "frames.dropped"));
  try {
    metrics::write_latency_plot(args.plot, trace, labels);
  } catch (const std::exception& e) {
    throw ExitError(ExitCode::Output, e.what());
  }
  std::printf("plot: %s (from %s, %zu frames)\n", args.plot.c_str(), trace_path.c_str(),
              trace.rows.size());
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
