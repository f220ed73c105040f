// End to end: the ways a display run ends besides 'q'. Each test starts its
// own X server (Xvfb, on a display number it picks itself) and window
// manager (openbox), so it can close the window as a user would (wmctrl -c)
// or take the display away mid-run; both are killed when the test ends,
// passed or failed.
#include <signal.h>

#include "e2e_support.hpp"
#include "support/paths.hpp"

namespace conveyor::testing::e2e {
namespace {

constexpr const char* kTitle = "ConveyorEndings";

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// A private X server with a window manager; both die with this object.
class XSession {
 public:
  XSession() {
    ProcessOptions options;
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24",
                                 "-nolisten", "tcp"},
        options);
    // -displayfd 1: the number on stdout once the server is ready (stderr
    // may carry warnings first).
    const auto started = std::chrono::steady_clock::now();
    while (server_->stdout_so_far().find('\n') == std::string::npos) {
      if (!server_->running() ||
          std::chrono::steady_clock::now() - started > std::chrono::seconds(30)) {
        why_ = "Xvfb gave no display number: " + server_->stderr_so_far();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::string number = server_->stdout_so_far();
    number.erase(number.find_last_not_of(" \n") + 1);
    display_ = ":" + number;
    ProcessOptions with_display;
    with_display.env = {"DISPLAY=" + display_};
    manager_ = std::make_unique<ChildProcess>(std::vector<std::string>{"openbox"}, with_display);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!contains(tool({"wmctrl", "-m"}).out, "Openbox")) {
      if (std::chrono::steady_clock::now() > deadline) {
        why_ = "no window manager on " + display_ + ": " + manager_->stderr_so_far();
        display_.clear();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~XSession() {
    manager_.reset();  // killed and reaped
    server_.reset();
  }
  XSession(const XSession&) = delete;
  XSession& operator=(const XSession&) = delete;

  bool ready() const { return !display_.empty(); }
  const std::string& why_not_ready() const { return why_; }
  const std::string& display() const { return display_; }
  // The X server goes away, as when a remote session drops.
  void kill_server() { server_->send_signal(SIGKILL); }

  ProcessResult tool(const std::vector<std::string>& argv) const {
    ProcessOptions options;
    options.env = {"DISPLAY=" + display_};
    options.timeout = std::chrono::seconds(20);
    return run_process(argv, options);
  }

 private:
  std::unique_ptr<ChildProcess> server_;
  std::unique_ptr<ChildProcess> manager_;
  std::string display_;
  std::string why_;
};

// A window and a video of an endless paced test pattern, with trace and report.
std::string display_pipeline() {
  return std::string(
             "name: window\n"
             "source: { type: testpattern, width: 320, height: 240, fps: 30, frames: 0, pace: "
             "realtime }\n"
             "stages:\n  - { name: edges, bank: [sobel_x] }\n"
             "sinks:\n  - { type: display, title: ") +
         kTitle +
         " }\n  - { type: file, path: out/base.mkv }\n"
         "metrics: { report: out/report.json, trace: out/trace.csv }\n";
}

// Starts the run and waits until its window is up and its video is being
// written (the video's own temporary: the trace's exists from the start).
std::unique_ptr<ChildProcess> start_window_run(const XSession& x, const TempDir& dir) {
  dir.write("window.yaml", display_pipeline());
  ProcessOptions options;
  options.env = {"DISPLAY=" + x.display()};
  options.unset_env = {"CONVEYOR_KERNELS", "WAYLAND_DISPLAY"};
  options.working_directory = dir.path();
  options.timeout = std::chrono::seconds(90);
  auto child = std::make_unique<ChildProcess>(
      std::vector<std::string>{conveyor_binary(), "run", "window.yaml"}, options);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while (child->running() && std::chrono::steady_clock::now() < deadline) {
    if (contains(x.tool({"wmctrl", "-l"}).out, kTitle) &&
        wait_until_video_written(*child, dir / "out"))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a few frames more
  return child;
}

int csv_rows(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return -1;
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines - 1;
}

// Video, trace and report complete and in agreement; nothing partial left.
void expect_finalized(const TempDir& dir, const ProcessResult& result, int exit_code) {
  EXPECT_EQ(result.exit_code, exit_code) << describe(result);
  EXPECT_EQ(result.signal, 0) << describe(result);
  const nlohmann::json report = read_json(dir / "out/report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["exit_code"], exit_code) << report.dump(2);
  const int written = report["frames"]["written"].get<int>();
  EXPECT_GT(written, 0);
  EXPECT_EQ(static_cast<int>(read_video(dir / "out/base.mkv").size()), written);
  EXPECT_EQ(csv_rows(dir / "out/trace.csv"), report["frames"]["decoded"].get<int>());
  EXPECT_TRUE(partial_files(dir.path()).empty());
}

class e2eDisplayEndings : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have("Xvfb") || !have("openbox") || !have("wmctrl"))
      GTEST_SKIP() << "needs Xvfb, openbox and wmctrl (scripts/install-deps.sh)";
  }
};

TEST_F(e2eDisplayEndings, ClosingTheWindowStopsTheRunLikeQ) {
  XSession x;
  ASSERT_TRUE(x.ready()) << x.why_not_ready();
  TempDir dir;
  auto run = start_window_run(x, dir);
  ASSERT_TRUE(run->running()) << run->stderr_so_far();
  x.tool({"wmctrl", "-c", kTitle});
  const ProcessResult result = run->wait();
  ASSERT_FALSE(result.timed_out) << "closing the window did not stop the run\n" << describe(result);
  ASSERT_NO_FATAL_FAILURE(expect_finalized(dir, result, 0));
}

TEST_F(e2eDisplayEndings, LosingTheDisplayFinalizesTheOtherOutputs) {
  XSession x;
  ASSERT_TRUE(x.ready()) << x.why_not_ready();
  TempDir dir;
  auto run = start_window_run(x, dir);
  ASSERT_TRUE(run->running()) << run->stderr_so_far();
  x.kill_server();
  const ProcessResult result = run->wait();
  ASSERT_NO_FATAL_FAILURE(expect_finalized(dir, result, 4));
  EXPECT_TRUE(contains(result.err, "the display went away")) << describe(result);
  const nlohmann::json report = read_json(dir / "out/report.json");
  EXPECT_TRUE(contains(report["message"].get<std::string>(), "display")) << report.dump(2);
}

}  // namespace
}  // namespace conveyor::testing::e2e
