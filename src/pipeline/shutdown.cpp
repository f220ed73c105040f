#include "conveyor/pipeline/shutdown.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "conveyor/pipeline/process_setup.hpp"

namespace conveyor::pipeline {

const char* signal_name(int signal_number) {
  switch (signal_number) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a signal";
  }
}

util::ExitCode signal_exit_code(int signal_number) {
  switch (signal_number) {
    case SIGHUP:
      return util::ExitCode::Hangup;
    case SIGINT:
      return util::ExitCode::Interrupted;
    default:
      return util::ExitCode::Terminated;
  }
}

Shutdown::Shutdown() {
  // Usually done already by `conveyor run` before loading the pipeline, so
  // that a signal during loading waits for the watcher (process_setup.hpp).
  block_stop_signals();
  watcher_ = std::thread([this] { watch(); });
}

Shutdown::~Shutdown() {
  running_.store(false);
  if (watcher_.joinable()) {
    // Wake the watcher now instead of at its next poll, which added up to
    // 100 ms to the end of every run. It sees running_ false and ignores the
    // signal, as it would any signal for a process that is exiting.
    pthread_kill(watcher_.native_handle(), SIGTERM);
    watcher_.join();
  }
  // Signals stay blocked: one arriving now is for a process that is exiting.
}

void Shutdown::set_emergency(std::function<void()> emergency) {
  std::lock_guard lock(emergency_mutex_);
  emergency_ = std::move(emergency);
}

void Shutdown::abandon_outputs() {
  std::lock_guard lock(emergency_mutex_);
  if (emergency_) emergency_();
}

void Shutdown::emergency_exit(int signal_number) {
  abandon_outputs();
  std::fflush(stderr);
  _exit(128 + signal_number);
}

void Shutdown::watch() {
  const sigset_t set = stop_signal_set();
  const timespec poll{0, 100'000'000};  // 100 ms: how quickly the thread notices the end
  std::chrono::steady_clock::time_point first_signal{};
  while (running_.load()) {
    const int received = sigtimedwait(&set, nullptr, &poll);
    if (!running_.load()) break;
    if (received > 0 && sigismember(&set, received) == 1) {
      if (signal_.load() == 0) {
        signal_.store(received);
        first_signal = std::chrono::steady_clock::now();
        spdlog::warn(
            "{} received: stopping the source and draining frames in flight "
            "(send it again to abort at once)",
            signal_name(received));
      } else {
        std::fprintf(stderr, "conveyor: second signal: aborting without finalizing outputs\n");
        emergency_exit(signal_.load());
      }
    }
    if (signal_.load() != 0 && !finished_.load()) {
      const double waited =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - first_signal).count();
      if (waited > drain_timeout_s_.load()) {
        // %g: a 0.05 s limit reads as 0.05, not as a rounded 0.1.
        std::fprintf(stderr, "conveyor: drain took longer than %g s: aborting\n",
                     drain_timeout_s_.load());
        emergency_exit(signal_.load());
      }
    }
  }
}

}  // namespace conveyor::pipeline
