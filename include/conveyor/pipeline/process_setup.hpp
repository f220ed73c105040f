// Process-wide set-up that makes every way a run can end a designed one.
//
// - Descriptors 0, 1 and 2 are valid from the start: a closed one is reopened
//   on /dev/null, so no file opened later (the trace, a video) takes its
//   number and receives log lines meant for stderr.
// - SIGPIPE is ignored: a write to a closed pipe fails with EPIPE instead of
//   killing the process. On diagnostic streams (stderr logging, progress, the
//   summary) the error is ignored; a sink writing data to a pipe sees EPIPE
//   as an output error (exit 4).
// - The stop signals of a run (SIGINT, SIGTERM, SIGHUP) are blocked before the
//   pipeline is loaded, so one that arrives early stays pending until the
//   run's sigwait thread (shutdown.hpp) takes it. SIGINT and SIGTERM
//   inherited as ignored (`trap "" INT`, background jobs) are still handled,
//   as FFmpeg does; SIGHUP inherited as ignored (`nohup`) stays ignored.
#pragma once

#include <signal.h>

namespace conveyor::pipeline {

// First thing in main(), before any file is opened or thread started.
void prepare_process();

// Blocks the stop signals in the calling thread (and so in every thread it
// creates later) and gives them their default disposition so that a blocked
// one stays pending. Idempotent. Call before any worker thread exists.
void block_stop_signals();

// SIGINT, SIGTERM, and SIGHUP unless it was inherited as ignored.
sigset_t stop_signal_set();

}  // namespace conveyor::pipeline
