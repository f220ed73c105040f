// How many threads a run (or apply, or a validate plan) really gets. A task_arena may be asked for
// any number, but oneTBB never runs more at once than its global limit (the hardware threads this
// process may use, or a tbb::global_control): asking for more only prints a TBB warning. The run
// asks for what it can have and reports that number.
#pragma once

#include <spdlog/spdlog.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cstddef>

namespace conveyor::pipeline {

inline int usable_threads(int requested) {
  const auto limit = static_cast<int>(std::min<std::size_t>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism), 1 << 20));
  const int usable = std::max(1, std::min(requested, limit));
  if (usable < requested) {
    spdlog::info("{} threads asked for; {} can run at once here: using {}", requested, limit,
                 usable);
  }
  return usable;
}

}  // namespace conveyor::pipeline
