#include "support/run_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "support/paths.hpp"

extern char** environ;

namespace conveyor::testing {

using Clock = std::chrono::steady_clock;

struct ChildProcess::State {
  pid_t pid = -1;
  ProcessOptions options;
  Clock::time_point start;
  mutable std::mutex mutex;
  std::string out;
  std::string err;
  std::thread reader;  // drains both pipes so the child never blocks on a full pipe
  std::thread writer;  // feeds stdin_text
  bool reaped = false;
  int status = 0;
};

namespace {

void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2 failed: ") + std::strerror(errno));
  }
}

std::vector<std::string> child_environment(const ProcessOptions& options) {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text = *entry;
    variables[text.substr(0, text.find('='))] = text;
  }
  for (const auto& name : options.unset_env) variables.erase(name);
  for (const auto& text : options.env) variables[text.substr(0, text.find('='))] = text;
  std::vector<std::string> result;
  for (auto& [name, text] : variables) result.push_back(std::move(text));
  return result;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& text : strings) result.push_back(text.data());
  result.push_back(nullptr);
  return result;
}

// The child and everything it started (xvfb-run's Xvfb, a shell's
// background job): the child leads its own process group. A grandchild left
// running would keep the output pipes open, so the test would wait for it.
void kill_all(pid_t pid) {
  if (::kill(-pid, SIGKILL) != 0) ::kill(pid, SIGKILL);
}

void drain(int out_fd, int err_fd, std::mutex& mutex, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  int open_count = 2;
  char buffer[65536];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        const std::lock_guard lock(mutex);
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const ProcessOptions& options)
    : state_(std::make_unique<State>()) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  state_->options = options;
  std::vector<std::string> args = argv;
  std::vector<std::string> env = child_environment(options);
  std::vector<char*> arg_pointers = pointers(args);
  std::vector<char*> env_pointers = pointers(env);
  const std::string directory = options.working_directory.string();

  int out_pipe[2], err_pipe[2], in_pipe[2] = {-1, -1};
  make_pipe(out_pipe);
  make_pipe(err_pipe);
  if (options.stdin_text) make_pipe(in_pipe);
  state_->start = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::setpgid(0, 0);
    const int in_fd = options.stdin_text ? in_pipe[0] : ::open("/dev/null", O_RDONLY);
    ::dup2(in_fd, STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    if (!directory.empty() && ::chdir(directory.c_str()) != 0) _exit(127);
    ::execvpe(arg_pointers[0], arg_pointers.data(), env_pointers.data());
    const char message[] = "run_process: cannot execute the program\n";
    [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    _exit(127);
  }
  state_->pid = pid;
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  State* state = state_.get();
  state_->reader = std::thread([state, out_fd = out_pipe[0], err_fd = err_pipe[0]] {
    drain(out_fd, err_fd, state->mutex, state->out, state->err);
  });
  if (options.stdin_text) {
    ::close(in_pipe[0]);
    state_->writer = std::thread([text = *options.stdin_text, fd = in_pipe[1]] {
      ::signal(SIGPIPE, SIG_IGN);  // a child that stops reading must not kill the test
      std::size_t done = 0;
      while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      ::close(fd);
    });
  }
}

ChildProcess::~ChildProcess() {
  if (state_ && !state_->reaped && state_->pid > 0) {
    kill_all(state_->pid);
    ::waitpid(state_->pid, &state_->status, 0);
    state_->reaped = true;
  }
  if (state_ && state_->reader.joinable()) state_->reader.join();
  if (state_ && state_->writer.joinable()) state_->writer.join();
}

pid_t ChildProcess::pid() const {
  return state_->pid;
}

bool ChildProcess::running() {
  if (state_->reaped) return false;
  const pid_t done = ::waitpid(state_->pid, &state_->status, WNOHANG);
  if (done == state_->pid) state_->reaped = true;
  return !state_->reaped;
}

void ChildProcess::send_signal(int signal_number) {
  if (!state_->reaped) ::kill(state_->pid, signal_number);
}

std::string ChildProcess::stdout_so_far() const {
  const std::lock_guard lock(state_->mutex);
  return state_->out;
}

std::string ChildProcess::stderr_so_far() const {
  const std::lock_guard lock(state_->mutex);
  return state_->err;
}

bool ChildProcess::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    {
      const std::lock_guard lock(state_->mutex);
      if (state_->out.find(text) != std::string::npos ||
          state_->err.find(text) != std::string::npos) {
        return true;
      }
    }
    if (!running() || Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

ProcessResult ChildProcess::wait() {
  ProcessResult result;
  const auto timeout = state_->options.timeout;
  const auto deadline = state_->start + timeout;
  while (running()) {
    if (timeout.count() > 0 && Clock::now() >= deadline) {
      kill_all(state_->pid);
      ::waitpid(state_->pid, &state_->status, 0);
      state_->reaped = true;
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  result.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - state_->start);
  if (state_->reader.joinable()) state_->reader.join();
  if (state_->writer.joinable()) state_->writer.join();
  const int status = state_->status;
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.exit_code = 128 + result.signal;
  }
  const std::lock_guard lock(state_->mutex);
  result.out = state_->out;
  result.err = state_->err;
  return result;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  ChildProcess child(argv, options);
  return child.wait();
}

ProcessResult run_conveyor(const std::vector<std::string>& args, ProcessOptions options) {
  std::vector<std::string> argv{conveyor_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  if (options.timeout.count() == 0) options.timeout = std::chrono::seconds(120);
  return run_process(argv, options);
}

}  // namespace conveyor::testing
