#include "conveyor/pipeline/process_setup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>

namespace conveyor::pipeline {
namespace {

std::once_flag hangup_checked;
std::atomic<bool> hangup_ignored{false};

// Remembers whether SIGHUP came ignored (nohup) before anything changes it.
void check_inherited_hangup() {
  std::call_once(hangup_checked, [] {
    struct sigaction current {};
    if (::sigaction(SIGHUP, nullptr, &current) == 0)
      hangup_ignored.store(current.sa_handler == SIG_IGN);
  });
}

// A closed standard descriptor gets /dev/null, so the next open() cannot take it.
void reopen_closed_standard_descriptors() {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = ::open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);
    if (opened < 0) ::_exit(1);  // no /dev/null: nothing sensible can follow
    if (opened != fd) {
      ::dup2(opened, fd);
      ::close(opened);
    }
  }
}

}  // namespace

void prepare_process() {
  reopen_closed_standard_descriptors();
  check_inherited_hangup();
  ::signal(SIGPIPE, SIG_IGN);
}

sigset_t stop_signal_set() {
  check_inherited_hangup();
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  if (!hangup_ignored.load()) sigaddset(&set, SIGHUP);
  return set;
}

void block_stop_signals() {
  const sigset_t set = stop_signal_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // An ignored signal is discarded even while blocked, and background jobs
  // start with SIGINT ignored: restore the default so sigwait can see it.
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    if (sigismember(&set, signal_number) == 1) ::signal(signal_number, SIG_DFL);
  }
}

}  // namespace conveyor::pipeline
