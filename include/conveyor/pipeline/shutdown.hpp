// SIGINT/SIGTERM/SIGHUP handling for a run (which signals, and how they are
// set up before loading: process_setup.hpp). A signal only sets a flag, seen by a
// dedicated sigwait thread: the first stops the source so frames in flight
// drain and outputs are finalized; a second one (or a drain that takes longer
// than the timeout) removes temporary outputs and exits at once.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "conveyor/util/exit_codes.hpp"

namespace conveyor::pipeline {

// "SIGHUP"; and the exit code of a run it stopped (129, 130, 143).
const char* signal_name(int signal_number);
util::ExitCode signal_exit_code(int signal_number);

class Shutdown {
 public:
  // Blocks the stop signals in the calling thread (and so in every thread
  // created after it) and starts the watcher. Call before any worker exists.
  Shutdown();
  ~Shutdown();
  Shutdown(const Shutdown&) = delete;
  Shutdown& operator=(const Shutdown&) = delete;

  bool stop_requested() const { return signal_.load() != 0 || stop_.load(); }
  int signal() const { return signal_.load(); }  // 0, SIGINT, SIGTERM or SIGHUP
  // A stop that is not a signal (a key press in a window, a fatal error).
  void request_stop() { stop_.store(true); }

  // Run when the process must end at once (second signal, drain timeout):
  // must be quick and must not throw; removes temporary output files.
  void set_emergency(std::function<void()> emergency);
  // Runs the emergency now, for a caller about to end the process itself.
  void abandon_outputs();
  // After the first signal, how long the drain may take before the emergency.
  void set_drain_timeout(double seconds) { drain_timeout_s_.store(seconds); }
  // The run is over: the watcher no longer aborts on a slow drain.
  void mark_finished() { finished_.store(true); }

 private:
  void watch();
  void emergency_exit(int signal_number);

  std::atomic<int> signal_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};
  std::atomic<bool> running_{true};
  std::atomic<double> drain_timeout_s_{5.0};
  std::mutex emergency_mutex_;
  std::function<void()> emergency_;
  std::thread watcher_;
};

}  // namespace conveyor::pipeline
