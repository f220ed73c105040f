#include "run_report.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "conveyor/pipeline/errors.hpp"
#include "conveyor/util/temp_names.hpp"
#include "frame_outcome.hpp"

namespace conveyor::pipeline {

void write_report(const std::string& path, const nlohmann::json& report) {
  namespace fs = std::filesystem;
  const fs::path final_path(path);
  std::error_code ec;
  if (final_path.has_parent_path() && !fs::is_directory(final_path.parent_path(), ec)) {
    fs::create_directories(final_path.parent_path(), ec);
    if (ec) throw OutputError("cannot write the report '" + path + "': " + ec.message());
  }
  const fs::path temp = util::temporary_name_for(final_path);
  {
    errno = 0;
    std::ofstream out(temp);
    out << report.dump(2) << "\n";
    out.close();
    if (!out) {
      // The stream keeps no reason; errno of its failed open or write does.
      const std::string reason = errno != 0 ? std::strerror(errno) : "writing failed";
      fs::remove(temp, ec);
      throw OutputError("cannot write the report '" + path + "': " + reason);
    }
  }
  fs::rename(temp, final_path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw OutputError("cannot write the report '" + path + "': " + ec.message());
  }
}

RunResult failed_start(RunState& state, util::ExitCode code, const std::string& message) {
  RunResult result{code, message};
  const config::PipelineSpec& spec = state.spec;
  if (spec.metrics.report.empty()) return result;
  const auto nothing = make_run_metrics(spec, "");  // zero frames, no trace
  nothing->start();
  nothing->finish();
  const nlohmann::json extra = {
      {"pipeline", spec.name},
      {"source", state.source ? state.source->describe() : std::string()},
      {"outputs", ""},
      {"trace", ""},
      {"threads", state.threads},
      {"max_in_flight", state.in_flight},
      {"live", spec.source.is_live() || spec.source.pace == config::Pace::Realtime},
      {"exit_code", util::exit_status(code)},
      {"message", message}};
  try {
    write_report(spec.metrics.report, nothing->report(extra));
    if (!state.options.quiet) std::fprintf(stderr, "report: %s\n", spec.metrics.report.c_str());
  } catch (const std::exception& error) {
    spdlog::warn("{}", error.what());  // the run's own error is the one to report
  }
  return result;
}

}  // namespace conveyor::pipeline
