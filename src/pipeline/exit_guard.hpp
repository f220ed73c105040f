// Losing the display ends a run like any other failed output: the other
// outputs are finalized, the report is written, the exit code is 4.
//
// Why a guard at exit: Qt's xcb plugin ends the process itself with exit(1)
// when the connection to the X server breaks ("The X11 connection broke"),
// from inside the event processing that cv::waitKey runs on the main thread.
// No error ever comes back to the pump, and exit() cannot be refused. But
// exit() runs the atexit handlers first, on the calling thread and without
// unwinding its stack: the run's state on the main thread is still intact, the
// graph thread still runs. So while a window is pumped, an ExitGuard is
// active, and an exit() on its thread calls `finish` (stop the source, release
// the window, join the graph thread, finalize the sinks, write the report) and
// then ends the process with _exit(<what finish returned>), before any later
// handler or static destructor can pull the libraries away from under the run.
// The alternative, a window in a separate process, would copy every frame
// across processes to avoid a handful of lines here.
#pragma once

#include <functional>
#include <thread>

namespace conveyor::pipeline {

class ExitGuard {
 public:
  // Active from now until destroyed, for exit() calls on this thread. `finish`
  // returns the exit status; an exception from it gives exit status 4.
  explicit ExitGuard(std::function<int()> finish);
  ~ExitGuard();
  ExitGuard(const ExitGuard&) = delete;
  ExitGuard& operator=(const ExitGuard&) = delete;

 private:
  static void at_exit();

  std::function<int()> finish_;
  std::thread::id owner_;
};

}  // namespace conveyor::pipeline
