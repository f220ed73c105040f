// End to end: every way a run can end is a designed one. Signals a parent
// shell left ignored or default, SIGHUP, a stderr nobody reads, closed
// standard descriptors, a failed start, and a killed run whose temporaries
// the next run removes (only its own host's dead ones).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conveyor/util/temp_names.hpp"
#include "e2e_support.hpp"
#include "support/paths.hpp"

namespace conveyor::testing::e2e {
namespace {

// `frames: 0` is endless. A video, a trace and a report, as in the issue's `B`.
std::string pipeline_b(int frames, const std::string& extra_source = "") {
  return "name: b\nsource: { type: testpattern, width: 320, height: 240, frames: " +
         std::to_string(frames) + extra_source +
         " }\nstages:\n  - name: edges\n    bank: [{ name: gx, kernel: sobel_x }, { name: gy, "
         "kernel: sobel_y }]\n    combine: { op: magnitude }\n"
         "sinks: [{ type: file, path: out/base.mkv }]\n"
         "runtime: { threads: 2, mode: throughput, max_in_flight: 4 }\n"
         "metrics: { report: out/report.json, trace: out/trace.csv }\n";
}

ProcessOptions options_in(const TempDir& dir) {
  ProcessOptions options;
  options.unset_env = {"CONVEYOR_KERNELS"};
  options.working_directory = dir.path();
  options.timeout = std::chrono::seconds(90);
  return options;
}

// `sh -c SCRIPT` where "$@" is `conveyor ARGS...`: the shell sets up what the
// parent of a real run would (ignored signals, closed descriptors), then execs.
ProcessResult shell_then_conveyor(const TempDir& dir, const std::string& script,
                                  const std::vector<std::string>& args) {
  std::vector<std::string> argv{"sh", "-c", script, "sh", conveyor_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, options_in(dir));
}

bool wait_until_writing(ChildProcess& child, const TempDir& dir) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline && child.running()) {
    if (!partial_files(dir / "out").empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// Every line of the trace is CSV: the header's column count, a number first.
void expect_clean_trace(const fs::path& path, int rows) {
  std::ifstream in(path);
  ASSERT_TRUE(in) << "no trace at " << path;
  std::string header;
  std::getline(in, header);
  ASSERT_EQ(header.rfind("sequence,", 0), 0u) << header;
  const auto commas = std::count(header.begin(), header.end(), ',');
  int count = 0;
  for (std::string line; std::getline(in, line); ++count) {
    ASSERT_EQ(std::count(line.begin(), line.end(), ','), commas) << "not a trace row: " << line;
    ASSERT_TRUE(!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) << line;
  }
  EXPECT_EQ(count, rows);
}

// A finished run of `frames`: video, trace and report complete, nothing partial.
void expect_finished(const TempDir& dir, int exit_code, int frames) {
  const nlohmann::json report = read_json(dir / "out/report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["exit_code"], exit_code);
  const int written = report["frames"]["written"].get<int>();
  if (frames >= 0) {
    EXPECT_EQ(written, frames);
  }
  EXPECT_EQ(static_cast<int>(read_video(dir / "out/base.mkv").size()), written);
  expect_clean_trace(dir / "out/trace.csv", report["frames"]["decoded"].get<int>());
  EXPECT_TRUE(partial_files(dir.path()).empty());
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

// A temporary named as a run on `host` with `pid` would name it.
fs::path fake_temporary(const TempDir& dir, const std::string& output, const std::string& host,
                        long pid, const std::string& random = "0badf00d") {
  const std::string ext = fs::path(output).extension().string();
  const fs::path path = dir / ("out/." + output + ".partial." + host + "." + std::to_string(pid) +
                               "." + random + ext);
  std::ofstream(path) << "not finished";
  return path;
}

TEST(e2eEndings, TheNextRunRemovesOnlyTheStaleTemporariesOfDeadRunsOnThisHost) {
  TempDir dir;
  dir.write("endless.yaml", pipeline_b(0));
  std::string second = pipeline_b(10);
  second.replace(second.find("sinks: ["), 8,
                 "sinks: [{ type: images, pattern: \"out/img_%03d.png\" }, ");
  dir.write("b.yaml", second);
  ChildProcess killed({conveyor_binary(), "run", "endless.yaml"}, options_in(dir));
  ASSERT_TRUE(wait_until_writing(killed, dir)) << killed.stderr_so_far();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const pid_t dead = killed.pid();
  killed.send_signal(SIGKILL);
  killed.wait();
  std::vector<std::string> stale = partial_files(dir / "out");
  ASSERT_EQ(stale.size(), 2u) << "the video and the trace";
  EXPECT_FALSE(fs::exists(dir / "out/trace.csv")) << "no empty trace at the final path";

  const std::string host = util::host_name();
  // Dead runs of this host, from before: an image of the images sink, a report.
  const auto an_hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const std::string output : {"img_007.png", "report.json"}) {
    const fs::path old = fake_temporary(dir, output, host, dead, "0000dead");
    fs::last_write_time(old, an_hour_ago);
    stale.push_back(old.string());
  }
  const std::vector<fs::path> kept = {
      // Shared storage: another host's temporaries are never touched.
      fake_temporary(dir, "base.mkv", host + "-elsewhere", dead),
      fake_temporary(dir, "trace.csv", "node7.example.org", dead),
      // A live process on this host (this test) is still writing it.
      fake_temporary(dir, "base.mkv", host, ::getpid()),
      // Not an output of this run.
      fake_temporary(dir, "other.mkv", host, dead),
  };
  // Written after the run started: whatever its pid says, it is not stale.
  const fs::path fresh = fake_temporary(dir, "report.json", host, dead);
  fs::last_write_time(fresh, fs::file_time_type::clock::now() + std::chrono::hours(1));

  const ProcessResult result = conveyor_in(dir, {"run", "b.yaml", "--log-level", "info"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  for (const auto& path : stale) {
    EXPECT_FALSE(fs::exists(path)) << path;
    EXPECT_TRUE(contains(result.err, "removed '" + path.substr(dir.path().string().size() + 1)))
        << path << "\n"
        << describe(result);
  }
  for (const auto& path : kept) EXPECT_TRUE(fs::exists(path)) << path;
  EXPECT_TRUE(fs::exists(fresh));
  EXPECT_EQ(partial_files(dir.path()).size(), kept.size() + 1);
  EXPECT_EQ(read_video(dir / "out/base.mkv").size(), 10u);
  EXPECT_TRUE(fs::exists(dir / "out/img_009.png"));
}

// A run that cannot start still writes its report: zero frames, the exit
// code and the message, no output named.
TEST(e2eEndings, AFailedStartWritesTheReport) {
  struct Case {
    std::string name;
    std::string yaml;
    std::vector<std::string> sets;
    int exit_code;
    std::string named;  // the message names it
  };
  std::string missing_input = pipeline_b(10);
  const std::size_t source = missing_input.find("source:");
  missing_input.replace(source, missing_input.find('\n', source) - source,
                        "source: { type: file, path: missing.mkv }");
  const std::vector<Case> cases = {
      {"missing input", missing_input, {}, 3, "missing.mkv"},
      {"output is a folder", pipeline_b(10), {"sinks.0.path=out/folder.mkv"}, 4, "out/folder.mkv"},
      {"output folder cannot be made",
       pipeline_b(10),
       {"sinks.0.path=blocker/base.mkv"},
       4,
       "blocker"},
      {"trace folder cannot be made",
       pipeline_b(10),
       {"metrics.trace=blocker/trace.csv"},
       4,
       "blocker/trace.csv"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    dir.write("b.yaml", c.yaml);
    dir.write("blocker", "a file where a folder is needed");
    fs::create_directories(dir / "out/folder.mkv");
    std::vector<std::string> args = {"run", "b.yaml"};
    for (const auto& set : c.sets) args.insert(args.end(), {"--set", set});
    const ProcessResult result = conveyor_in(dir, args);
    EXPECT_EQ(result.exit_code, c.exit_code) << describe(result);
    const nlohmann::json report = read_json(dir / "out/report.json");
    ASSERT_TRUE(report.is_object()) << describe(result);
    EXPECT_EQ(report["exit_code"], c.exit_code);
    EXPECT_TRUE(contains(report["message"].get<std::string>(), c.named)) << report.dump(2);
    EXPECT_EQ(report["frames"]["decoded"], 0);
    EXPECT_EQ(report["outputs"], "");
    EXPECT_EQ(report["trace"], "");
    EXPECT_FALSE(fs::exists(dir / "out/base.mkv"));
    EXPECT_FALSE(fs::exists(dir / "out/trace.csv"));
    EXPECT_TRUE(partial_files(dir.path()).empty());
  }
}

}  // namespace
}  // namespace conveyor::testing::e2e
