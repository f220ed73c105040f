// Reading a run's JSON report (docs/metrics.md) for `conveyor report`: the
// file through the guarded read (a regular file of at most 64 MiB), the JSON
// with bounded nesting and number of values, the summary it prints. Every
// problem is a util::ExitError with exit code 3 naming the report.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace conveyor::app {

inline constexpr int kMaxReportDepth = 64;                // nested objects and arrays
inline constexpr std::size_t kMaxReportValues = 1 << 20;  // values of any kind

// The report in `text`; `path` names it in messages.
nlohmann::json parse_report_text(std::string_view text, const std::string& path);
// The report file at `path`.
nlohmann::json load_report(const std::string& path);

// The value at a dotted key path, checked to be a finite number.
double number_at(const nlohmann::json& report, const std::string& path,
                 const std::string& key_path);

// The summary `conveyor report` prints: frames, drops, speed, latency rows.
void print_summary(std::FILE* out, const nlohmann::json& report, const std::string& path);

}  // namespace conveyor::app
