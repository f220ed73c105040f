// `conveyor apply` as a pipeline of the registered nodes, run on its one
// picture in the calling thread:
//
//   picture source -> convolve stage -> maps sink (-o) and print sink (--print)
//
// The same source, stage and sinks a pipeline file can name (`picture`,
// `convolve`, `maps`, `print`), so apply and `run` cannot drift apart. One
// frame needs no flow graph, and apply keeps its own exit codes: a map that
// overflows is a usage error (2) here, not a dropped frame.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "conveyor/conv/combine.hpp"
#include "conveyor/conv/kernel.hpp"
#include "conveyor/util/exit_codes.hpp"
#include "path_guard.hpp"

namespace conveyor::app {

struct ApplyPlan {
  std::string input;
  std::vector<conv::Filter> filters;
  std::optional<conv::Combine> combine;  // none: every map (stack)
  int threads = 0;                       // 0: every hardware thread
  std::string output;                    // empty: none
  conv::ToU8 to_u8 = conv::ToU8::MinMax;
  bool print = false;
  std::vector<NamedPath> reads;  // files the outputs must not overwrite
};

// Throws util::ExitError, pipeline::InputError (3), pipeline::OutputError (4)
// or conv::ConfigError (2), each naming the file or value.
util::ExitCode run_apply_pipeline(ApplyPlan plan);

}  // namespace conveyor::app
