#include "conveyor/pipeline/shutdown.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace conveyor::pipeline {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

Shutdown::Shutdown() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // An ignored signal is discarded even while blocked, and background jobs
  // start with SIGINT ignored: restore the default so sigwait can see it.
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
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

void Shutdown::emergency_exit(int signal_number) {
  {
    std::lock_guard lock(emergency_mutex_);
    if (emergency_) emergency_();
  }
  std::fflush(stderr);
  _exit(128 + signal_number);
}

void Shutdown::watch() {
  const sigset_t set = stop_signals();
  const timespec poll{0, 100'000'000};  // 100 ms: how quickly the thread notices the end
  std::chrono::steady_clock::time_point first_signal{};
  while (running_.load()) {
    const int received = sigtimedwait(&set, nullptr, &poll);
    if (!running_.load()) break;
    if (received == SIGINT || received == SIGTERM) {
      if (signal_.load() == 0) {
        signal_.store(received);
        first_signal = std::chrono::steady_clock::now();
        spdlog::warn(
            "{} received: stopping the source and draining frames in flight "
            "(send it again to abort at once)",
            received == SIGINT ? "SIGINT" : "SIGTERM");
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
