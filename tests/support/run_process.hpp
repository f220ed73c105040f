// Running a program as a child process from a test: argv in; exit code,
// terminating signal, stdout and stderr out. ChildProcess also lets a test act
// while the child runs (send SIGINT, watch its output).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace conveyor::testing {

struct ProcessOptions {
  // 0: wait forever. On expiry the child is sent SIGKILL and timed_out is set.
  std::chrono::milliseconds timeout{0};
  // "NAME=value" entries added to (or replacing in) the test's environment.
  std::vector<std::string> env;
  // Variables removed from the child's environment (e.g. "DISPLAY").
  std::vector<std::string> unset_env;
  std::filesystem::path working_directory;  // empty: the test's own
  std::optional<std::string> stdin_text;    // nullopt: stdin is /dev/null
};

struct ProcessResult {
  int exit_code = -1;      // the exit status; 128 + signal when killed by a signal
  int signal = 0;          // the signal that ended the child, 0 if it exited
  bool timed_out = false;  // killed because ProcessOptions::timeout expired
  std::string out;         // everything written to stdout
  std::string err;         // everything written to stderr
  std::chrono::milliseconds elapsed{0};
};

class ChildProcess {
 public:
  // Starts argv[0] (searched in PATH when it has no '/'). Throws
  // std::runtime_error when the process cannot be created; a program that
  // cannot be executed exits with 127 and a message on stderr.
  explicit ChildProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});
  ~ChildProcess();  // kills and reaps a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const;
  bool running();
  void send_signal(int signal_number);
  // Output captured so far (the child keeps running).
  std::string stdout_so_far() const;
  std::string stderr_so_far() const;
  // Waits until `text` appears on stdout or stderr, the child ends or the timeout expires.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);
  // Waits for the end (honouring ProcessOptions::timeout) and returns everything.
  ProcessResult wait();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Runs to completion.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Runs the built `conveyor` with these arguments (argv[0] is added), with a
// default timeout of 120 s so a hung child cannot stall the suite.
ProcessResult run_conveyor(const std::vector<std::string>& args, ProcessOptions options = {});

}  // namespace conveyor::testing
