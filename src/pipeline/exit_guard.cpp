#include "exit_guard.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "conveyor/util/exit_codes.hpp"

namespace conveyor::pipeline {
namespace {

std::atomic<ExitGuard*> active{nullptr};
std::once_flag registered;

}  // namespace

ExitGuard::ExitGuard(std::function<int()> finish)
    : finish_(std::move(finish)), owner_(std::this_thread::get_id()) {
  // Registered once, as late as possible: handlers registered later run
  // before this one, so the fewer the better (see the header).
  std::call_once(registered, [] { std::atexit(&ExitGuard::at_exit); });
  active.store(this);
}

ExitGuard::~ExitGuard() {
  ExitGuard* self = this;
  active.compare_exchange_strong(self, nullptr);
}

void ExitGuard::at_exit() {
  ExitGuard* guard = active.exchange(nullptr);
  // Not during a run, or exit() from another thread: the process ends as asked.
  if (guard == nullptr || guard->owner_ != std::this_thread::get_id()) return;
  std::fputs("conveyor: the window system ended the process: finishing the run\n", stderr);
  int status = util::exit_status(util::ExitCode::Output);
  try {
    status = guard->finish_();
  } catch (...) {
    std::fputs("conveyor: error: finishing the run after the display went away failed\n", stderr);
  }
  std::fflush(nullptr);
  ::_exit(status);
}

}  // namespace conveyor::pipeline
