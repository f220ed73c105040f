// A video file source on a named pipe (FIFO): fed by a writer, it runs; with
// no writer, it fails within its open timeout instead of waiting for ever,
// and `validate` does not read from it (that would take the run's frames).
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "e2e_support.hpp"
#include "support/clip_fixtures.hpp"

namespace conveyor::testing::e2e {
namespace {

std::string pipeline_on(const std::string& input) {
  return "name: fifo\nsource: { type: file, path: " + input +
         ", open_timeout_ms: 1500 }\nstages:\n  - { name: s, bank: [{ name: id, kernel: "
         "identity }] }\nsinks:\n  - { type: file, path: out/out.mkv }\n"
         "metrics: { report: out/report.json }\n";
}

// Writes `bytes` into the FIFO once a reader opened it (polling the
// non-blocking open, so the test never hangs), for at most `limit`.
void feed(const fs::path& fifo, const std::string& bytes, std::chrono::seconds limit) {
  sigset_t pipe_signal;  // a reader that leaves early gives EPIPE here, not SIGPIPE
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int fd = -1;
  while (fd < 0 && std::chrono::steady_clock::now() < deadline) {
    fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (fd < 0) return;
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

TEST(e2eNamedPipe, AFedPipeRunsEveryFrame) {
  TempDir dir;
  write_ffv1_clip(dir / "clip.mkv", 12, {96, 64});
  std::ifstream clip(dir / "clip.mkv", std::ios::binary);
  std::ostringstream bytes;
  bytes << clip.rdbuf();
  ASSERT_EQ(::mkfifo((dir / "feed.mkv").c_str(), 0600), 0);
  std::thread writer(feed, dir / "feed.mkv", bytes.str(), std::chrono::seconds(60));
  const fs::path pipeline = dir.write("fifo.yaml", pipeline_on("feed.mkv"));
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string()});
  writer.join();
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  const nlohmann::json report = read_json(dir / "out/report.json");
  expect_balanced(report);
  EXPECT_EQ(report["frames"]["written"], 12) << report.dump(2);
  EXPECT_EQ(frame_indices(read_video(dir / "out/out.mkv")), iota_indices(12));
}

TEST(e2eNamedPipe, AnUnfedPipeFailsWithinItsOpenTimeout) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "silent.mkv").c_str(), 0600), 0);
  const fs::path pipeline = dir.write("fifo.yaml", pipeline_on("silent.mkv"));
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string()});
  EXPECT_EQ(run.exit_code, 3) << describe(run);
  EXPECT_TRUE(contains(run.err, "'silent.mkv'")) << describe(run);
  EXPECT_TRUE(contains(run.err, "no data within 1500 ms")) << describe(run);
  EXPECT_FALSE(fs::exists(dir / "out/out.mkv"));
  EXPECT_TRUE(partial_files(dir.path()).empty());
}

TEST(e2eNamedPipe, ValidateLeavesThePipeToTheRun) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "silent.mkv").c_str(), 0600), 0);
  const fs::path pipeline = dir.write("fifo.yaml", pipeline_on("silent.mkv"));
  const ProcessResult check = conveyor_in(dir, {"validate", pipeline.string()});
  EXPECT_EQ(check.exit_code, 0) << describe(check);
  EXPECT_TRUE(contains(check.out, "unknown until run time (the input is a pipe"))
      << describe(check);
}

}  // namespace
}  // namespace conveyor::testing::e2e
