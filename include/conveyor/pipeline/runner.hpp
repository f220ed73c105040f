// Runs a validated pipeline as a oneTBB flow graph:
//
//   source -> limiter -> stage 1 -> ... -> stage n -> sequencer -> sinks
//   (input_node)  (max frames      (function_nodes,     (restores   (one serial node;
//                  in flight)       frames run            order)     frees a limiter
//                                   concurrently)                    slot per frame)
//
// inside a task_arena sized by runtime.threads. Failed frames travel on as
// tombstones so the sequencer never waits for a missing number.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/util/exit_codes.hpp"

namespace conveyor::pipeline {

struct RunOptions {
  std::int64_t max_frames = 0;  // --frames: stop after this many (0: all)
  int threads = 0;              // --threads: overrides runtime.threads (0: keep)
  bool quiet = false;           // no progress, no summary
  // --watch: reload the banks when this file changes (with the same overrides).
  std::string watch_file;
  std::vector<std::string> overrides;
};

struct RunResult {
  util::ExitCode exit_code = util::ExitCode::Ok;
  std::string message;  // why the run failed, empty on success
  std::int64_t decoded = 0;
  std::int64_t written = 0;
  std::int64_t dropped = 0;
};

// Runs to the end of the source, a stop signal, or a fatal error. Outputs are
// always finalized (or, after an abort, removed from their temporary names).
RunResult run_pipeline(const config::PipelineSpec& spec, const RunOptions& options);

}  // namespace conveyor::pipeline
