// End to end: a run that cannot start still writes its report, and a run
// removes the temporaries that killed runs left beside its outputs (only its
// own host's, of dead processes, older than the run).
#include <signal.h>
#include <unistd.h>

#include "conveyor/util/temp_names.hpp"
#include "e2e_endings_support.hpp"

namespace conveyor::testing::e2e {
namespace {

using namespace endings;

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
