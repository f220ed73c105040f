#include "report_reader.hpp"

#include <cmath>

#include "conveyor/util/exit_codes.hpp"
#include "conveyor/util/guarded_file.hpp"

namespace conveyor::app {
namespace {

using nlohmann::json;
using util::ExitCode;
using util::ExitError;

// What `conveyor run` writes now, and the earlier schema, still read.
constexpr const char* kSchema = "conveyor.report/2";
constexpr const char* kEarlierSchema = "conveyor.report/1";

[[noreturn]] void bad_report(const std::string& path, const std::string& what) {
  throw ExitError(ExitCode::Input, "report '" + path + "': " + what +
                                       "; expected a JSON report written by `conveyor run` "
                                       "(schema " +
                                       kSchema + " or " + kEarlierSchema +
                                       ", see docs/metrics.md)");
}

void print_row(std::FILE* out, const json& report, const std::string& path,
               const std::string& label, const std::string& key) {
  std::fprintf(out, "  %-22s %8.0f", label.c_str(), number_at(report, path, key + ".count"));
  for (const char* field : {"mean", "p50", "p90", "p99", "p999", "max"}) {
    std::fprintf(out, " %9.3f", number_at(report, path, key + "." + field));
  }
  std::fprintf(out, "\n");
}

void print_drops(std::FILE* out, const json& report, const std::string& path) {
  if (!report.contains("drops") || !report["drops"].is_object())
    bad_report(path, "missing key 'drops'");
  std::string drops;
  for (const auto& [reason, count] : report["drops"].items()) {
    if (!count.is_number() || !std::isfinite(count.get<double>()))
      bad_report(path, "'drops." + reason + "' is not a number");
    if (count.get<double>() > 0) {
      char text[64];
      std::snprintf(text, sizeof text, "%.0f", count.get<double>());
      drops += (drops.empty() ? "" : ", ") + reason + " " + text;
    }
  }
  std::fprintf(out, "drops: %s\n", drops.empty() ? "none" : drops.c_str());
}

// `element.key` of an array element, a finite number; `where` names it in
// messages ("sinks[1]").
double element_number(const json& element, const std::string& path, const std::string& where,
                      const std::string& key) {
  if (!element.is_object() || !element.contains(key))
    bad_report(path, "missing key '" + where + "." + key + "'");
  const json& value = element[key];
  if (!value.is_number() || !std::isfinite(value.get<double>()))
    bad_report(path, "'" + where + "." + key + "' is not a number");
  return value.get<double>();
}

// Schema 2: each sink's own outcome. Absent from schema 1 reports.
void print_sinks(std::FILE* out, const json& report, const std::string& path) {
  if (!report.contains("sinks")) return;
  if (!report["sinks"].is_array()) bad_report(path, "'sinks' is not an array");
  for (std::size_t i = 0; i < report["sinks"].size(); ++i) {
    const json& sink = report["sinks"][i];
    const std::string where = "sinks[" + std::to_string(i) + "]";
    const double written = element_number(sink, path, where, "written");
    const double dropped = element_number(sink, path, where, "dropped");
    const json name = sink.value("name", json());
    const std::string label = name.is_string() ? name.get<std::string>() : std::to_string(i + 1);
    std::fprintf(out, "  sink '%s': written %.0f + dropped %.0f", label.c_str(), written, dropped);
    std::string drops;
    if (sink.contains("drops") && sink["drops"].is_object()) {
      for (const auto& [reason, count] : sink["drops"].items()) {
        if (!count.is_number() || !(count.get<double>() > 0)) continue;
        char text[64];
        std::snprintf(text, sizeof text, "%.0f", count.get<double>());
        drops += (drops.empty() ? "" : ", ") + reason + " " + text;
      }
    }
    if (!drops.empty()) std::fprintf(out, " (%s)", drops.c_str());
    if (sink.contains("skipped")) {
      const double skipped = element_number(sink, path, where, "skipped");
      if (skipped > 0) std::fprintf(out, ", skipped by the viewer %.0f", skipped);
    }
    std::fprintf(out, "\n");
  }
}

void print_outages(std::FILE* out, const json& report, const std::string& path) {
  if (!report.contains("outages")) return;
  if (!report["outages"].is_array()) bad_report(path, "'outages' is not an array");
  for (std::size_t i = 0; i < report["outages"].size(); ++i) {
    const json& outage = report["outages"][i];
    const std::string where = "outages[" + std::to_string(i) + "]";
    const double start = element_number(outage, path, where, "start_s");
    const double length = element_number(outage, path, where, "length_s");
    const double missed = element_number(outage, path, where, "frames_missed");
    std::fprintf(out, "outage: at %.2f s for %.2f s, about %.0f frame(s) missed\n", start, length,
                 missed);
  }
}

}  // namespace

json parse_report_text(std::string_view text, const std::string& path) {
  std::size_t values = 0;
  // Refuses deep nesting and floods of values while parsing, before the tree
  // grows: depth counts the objects and arrays around a value.
  const json::parser_callback_t guard = [&](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= kMaxReportDepth) {
      bad_report(path, "JSON nested deeper than " + std::to_string(kMaxReportDepth) + " levels");
    }
    if (event != json::parse_event_t::key && event != json::parse_event_t::object_end &&
        event != json::parse_event_t::array_end && ++values > kMaxReportValues) {
      bad_report(path, "more than " + std::to_string(kMaxReportValues) + " JSON values");
    }
    return true;
  };
  json report;
  try {
    report = json::parse(text.begin(), text.end(), guard);
  } catch (const json::exception& e) {
    bad_report(path, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!report.is_object()) bad_report(path, "the top level is not an object");
  if (!report.contains("schema") ||
      (report["schema"] != kSchema && report["schema"] != kEarlierSchema)) {
    std::string schema = report.contains("schema") ? report["schema"].dump() : "missing";
    if (schema.size() > 80) schema = schema.substr(0, 77) + "...";
    bad_report(path, "schema is " + schema);
  }
  return report;
}

json load_report(const std::string& path) {
  std::string text;
  try {
    text =
        util::read_regular_file(path, util::kMaxReportFileBytes,
                                std::string("a JSON report written by `conveyor run` (schema ") +
                                    kSchema + " or " + kEarlierSchema + ", see docs/metrics.md)");
  } catch (const util::FileReadError& e) {
    if (e.kind() == util::FileReadError::Kind::Missing) bad_report(path, "no such file");
    throw ExitError(ExitCode::Input, "report '" + path + "': " + e.reason());
  }
  return parse_report_text(text, path);
}

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
  if (!node->is_number() || !std::isfinite(node->get<double>()))
    bad_report(path, "'" + key_path + "' is not a number");
  return node->get<double>();
}

void print_summary(std::FILE* out, const json& report, const std::string& path) {
  const auto decoded = number_at(report, path, "frames.decoded");
  const auto written = number_at(report, path, "frames.written");
  const auto dropped = number_at(report, path, "frames.dropped");
  std::fprintf(out, "report: %s\n", path.c_str());
  if (report.contains("pipeline") && report["pipeline"].is_string()) {
    std::fprintf(out, "pipeline: %s", report["pipeline"].get<std::string>().c_str());
    if (report.contains("source") && report["source"].is_string()) {
      std::fprintf(out, "  (source: %s)", report["source"].get<std::string>().c_str());
    }
    std::fprintf(out, "\n");
  }
  std::fprintf(out, "frames: decoded %.0f = written %.0f + dropped %.0f  [%s]\n", decoded, written,
               dropped, decoded == written + dropped ? "balanced" : "NOT BALANCED");
  print_drops(out, report, path);
  print_sinks(out, report, path);
  print_outages(out, report, path);
  std::fprintf(out, "speed: %.2f fps over %.2f s\n", number_at(report, path, "fps"),
               number_at(report, path, "elapsed_s"));
  if (report.contains("source_stalls") && number_at(report, path, "source_stalls.count") > 0) {
    std::fprintf(out,
                 "stalls: the paced source fell behind %.0f time(s), longest %.1f ms, %.0f "
                 "frame(s) superseded\n",
                 number_at(report, path, "source_stalls.count"),
                 number_at(report, path, "source_stalls.max_ms"),
                 number_at(report, path, "source_stalls.frames"));
  }
  std::fprintf(out,
               "latency (ms)                count      mean       p50       p90       p99"
               "     p99.9       max\n");
  print_row(out, report, path, "end to end", "latency_ms.end_to_end");
  print_row(out, report, path, "sink", "latency_ms.sink");
  if (!report.contains("stages") || !report["stages"].is_array())
    bad_report(path, "missing key 'stages'");
  for (std::size_t i = 0; i < report["stages"].size(); ++i) {
    const json& stage = report["stages"][i];
    const json name = stage.is_object() ? stage.value("name", json()) : json();
    const std::string label =
        name.is_string() ? name.get<std::string>() : "stage" + std::to_string(i + 1);
    json wrapper = {{"s", stage}};  // number_at walks objects only
    print_row(out, wrapper, path, label + " queue", "s.queue_ms");
    print_row(out, wrapper, path, label + " compute", "s.compute_ms");
  }
}

}  // namespace conveyor::app
