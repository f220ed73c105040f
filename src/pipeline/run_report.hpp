// Writing the JSON report of a run (schema: docs/metrics.md): at the end of
// every run that got past loading, also when it could not start.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "run_state.hpp"

namespace conveyor::pipeline {

// Writes `report` to a temporary name beside `path` (util::temporary_name_for)
// and renames it into place when complete: a reader never sees half a report.
// Throws OutputError naming the path.
void write_report(const std::string& path, const nlohmann::json& report);

// A run that could not start (the input cannot be opened, an output cannot be
// made): writes the report all the same, with zero frames, the exit code and
// the message, and returns the result. Outputs were not made: none are named.
RunResult failed_start(RunState& state, util::ExitCode code, const std::string& message);

}  // namespace conveyor::pipeline
