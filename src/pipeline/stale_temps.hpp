// Temporaries left by runs that were killed (kill -9, a crash, a power cut):
// removed by the next run that writes the same outputs.
#pragma once

#include <chrono>

#include "conveyor/config/pipeline_spec.hpp"

namespace conveyor::pipeline {

// Looks beside each output of `spec` (videos, image patterns, the trace and
// the report) for temporaries named by util::temporary_name_for and removes
// one only when all of these hold:
//   - it names this host: outputs may be on storage shared by many machines,
//     and another host's pid means nothing here, so its files are never touched;
//   - its pid is not alive here (kill(pid, 0) fails with ESRCH);
//   - it was last modified before `run_start` (a file written since then
//     belongs to a run that is alive, whatever its pid says).
// Each removal is logged (info) with the file's path. Never throws.
void remove_stale_temporaries(const config::PipelineSpec& spec,
                              std::chrono::system_clock::time_point run_start);

}  // namespace conveyor::pipeline
