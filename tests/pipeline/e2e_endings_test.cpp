// End to end: every way a run can end is a designed one. Signals a parent
// shell left ignored or default, SIGHUP, a stderr nobody reads, closed
// standard descriptors. (Failed starts and stale temporaries:
// e2e_start_and_stale_test.cpp.)
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_endings_support.hpp"

namespace conveyor::testing::e2e {
namespace {

using namespace endings;

// `sh -c SCRIPT` where "$@" is `conveyor ARGS...`: the shell sets up what the
// parent of a real run would (ignored signals, closed descriptors), then execs.
ProcessResult shell_then_conveyor(const TempDir& dir, const std::string& script,
                                  const std::vector<std::string>& args) {
  std::vector<std::string> argv{"sh", "-c", script, "sh", conveyor_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, options_in(dir));
}

TEST(e2eEndings, ClosedStandardDescriptorsNeverCarryTheLogIntoAnOutput) {
  for (const std::string redirect : {"2>&-", "1>&-", "0<&-", "0<&- 1>&- 2>&-"}) {
    SCOPED_TRACE(redirect);
    TempDir dir;
    dir.write("b.yaml", pipeline_b(20));
    // --log-level info: more lines that would land in the trace.
    const ProcessResult result = shell_then_conveyor(dir, "exec \"$@\" " + redirect,
                                                     {"run", "b.yaml", "--log-level", "info"});
    EXPECT_EQ(result.exit_code, 0) << describe(result);
    ASSERT_NO_FATAL_FAILURE(expect_finished(dir, 0, 20));
  }
}

// stdout and stderr on a pipe whose reader is gone before the run starts:
// every diagnostic write fails with EPIPE, and SIGPIPE is left at its default
// (the parent's) so that an unhandled one would kill the run.
ProcessResult run_with_broken_pipe(const TempDir& dir, const std::vector<std::string>& args) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  ::close(fds[0]);
  std::vector<std::string> argv{conveyor_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> pointers;
  for (auto& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  const std::string folder = dir.path().string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::signal(SIGPIPE, SIG_DFL);
    if (::chdir(folder.c_str()) != 0) ::_exit(127);
    ::execv(pointers[0], pointers.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + result.signal;
  return result;
}

TEST(e2eEndings, ADiagnosticStreamNobodyReadsIsNotFatal) {
  // Progress lines (every 5 s when not a terminal), info logging, the
  // summary, and a run that ends with an error message.
  TempDir dir;
  dir.write("b.yaml", pipeline_b(20));
  ProcessResult result = run_with_broken_pipe(dir, {"run", "b.yaml", "--log-level", "debug"});
  EXPECT_EQ(result.signal, 0) << "killed by signal " << result.signal;
  EXPECT_EQ(result.exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(expect_finished(dir, 0, 20));

  TempDir failing;
  failing.write("b.yaml", pipeline_b(20));
  fs::create_directories(failing / "out/folder.mkv");
  result = run_with_broken_pipe(failing, {"run", "b.yaml", "--set", "sinks.0.path=out/folder.mkv"});
  EXPECT_EQ(result.signal, 0) << "killed by signal " << result.signal;
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(read_json(failing / "out/report.json")["exit_code"], 4);
}

// A signal to an endless run in which the parent shell ran `trap "" SIGS`.
ProcessResult stop_with(const TempDir& dir, const std::string& ignored, int signal_number) {
  std::vector<std::string> argv{
      "sh", "-c", "trap '' " + ignored + "; exec \"$@\"", "sh", conveyor_binary(), "run", "b.yaml"};
  ChildProcess child(argv, options_in(dir));
  if (!wait_until_writing(child, dir)) return child.wait();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  child.send_signal(signal_number);
  return child.wait();
}

TEST(e2eEndings, SigintAndSigtermInheritedIgnoredAreStillHandled) {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(signal_number);
    TempDir dir;
    dir.write("b.yaml", pipeline_b(0));
    const ProcessResult result = stop_with(dir, "INT TERM", signal_number);
    EXPECT_EQ(result.exit_code, 128 + signal_number) << describe(result);
    EXPECT_EQ(result.signal, 0);
    ASSERT_NO_FATAL_FAILURE(expect_finished(dir, 128 + signal_number, -1));
  }
}

TEST(e2eEndings, SighupIgnoredByNohupStaysIgnored) {
  // Paced at 30 fps: 45 frames take 1.5 s, long enough for a SIGHUP mid-run.
  TempDir dir;
  dir.write("b.yaml", pipeline_b(45, ", fps: 30, pace: realtime"));
  std::vector<std::string> argv{"sh",  "-c",    "trap '' HUP; exec \"$@\"", "sh", conveyor_binary(),
                                "run", "b.yaml"};
  ChildProcess child(argv, options_in(dir));
  ASSERT_TRUE(wait_until_writing(child, dir)) << child.stderr_so_far();
  child.send_signal(SIGHUP);
  child.send_signal(SIGHUP);  // not even a second one aborts
  const ProcessResult result = child.wait();
  EXPECT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_FALSE(contains(result.err, "SIGHUP")) << describe(result);
  ASSERT_NO_FATAL_FAILURE(expect_finished(dir, 0, -1));
  EXPECT_EQ(read_json(dir / "out/report.json")["frames"]["decoded"], 45);
}

// The signal mask of a running process, from /proc.
unsigned long long blocked_signals(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("SigBlk:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
  }
  return 0;
}

TEST(e2eEndings, ASignalDuringLoadingIsNotLost) {
#if defined(__SANITIZE_THREAD__)
  // Under ThreadSanitizer the process was once killed by this SIGINT (1 run
  // in 2): TSan's runtime runs threads of its own, and one that was started
  // before `conveyor run` blocks the stop signals can take a signal sent at
  // that moment. Nothing of Conveyor's to check there; the Release and ASan
  // runs keep this test.
  GTEST_SKIP() << "the TSan runtime's own threads can take an early signal";
#endif
  TempDir dir;
  dir.write("b.yaml", pipeline_b(0));
  ChildProcess child({conveyor_binary(), "run", "b.yaml"}, options_in(dir));
  // As soon as the run blocks SIGINT (before it loads the pipeline).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (child.running() && std::chrono::steady_clock::now() < deadline &&
         (blocked_signals(child.pid()) & (1ull << (SIGINT - 1))) == 0) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  child.send_signal(SIGINT);
  const ProcessResult result = child.wait();
  EXPECT_EQ(result.signal, 0) << describe(result);
  EXPECT_EQ(result.exit_code, 130) << describe(result);
  EXPECT_EQ(read_json(dir / "out/report.json")["exit_code"], 130);
  EXPECT_TRUE(partial_files(dir.path()).empty());
}

}  // namespace
}  // namespace conveyor::testing::e2e
