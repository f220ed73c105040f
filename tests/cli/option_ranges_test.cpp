// Exit code 2 for every numeric option out of range, on every command: the
// message names the option, the value and the accepted range in words (never
// CLI11's "not in range 0.000000 to 1797693134862315708145274237317043567980..."),
// and a run never claims more threads than it really used.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

constexpr const char* kPipeline =
    "name: ranges\n"
    "source: { type: testpattern, width: 64, height: 48, frames: 3 }\n"
    "stages: [{ bank: [sobel_x] }]\n"
    "sinks: [{ type: null }]\n"
    "metrics: { report: report.json }\n";

class OptionRangeTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    write("p.yaml", kPipeline);
    write("in.txt", "1 2 3 4\n5 6 7 8\n9 10 11 12\n13 14 15 16\n");
  }

  // exit 2, one "conveyor: error: <option>: '<value>' ..." line naming the
  // range, and no number a person cannot read.
  void expect_refused(const std::vector<std::string>& args, const std::string& option,
                      const std::string& value, const std::string& range) const {
    const ProcessResult result = conveyor(args);
    SCOPED_TRACE(option + " " + value);
    expect_error(result, 2, {option + ": '" + value + "'", "expected", range});
    EXPECT_FALSE(std::regex_search(result.err, std::regex("[0-9]{25}|\\.000000")))
        << describe(result);
  }
};

TEST_F(OptionRangeTest, FramesMustBeZeroOrAPositiveCount) {
  const std::string expected = "0 (every frame) or a positive number of frames";
  expect_refused({"run", "p.yaml", "--frames", "-1"}, "--frames", "-1", expected);
  expect_refused({"run", "p.yaml", "--frames", "1.5"}, "--frames", "1.5", expected);
  expect_refused({"run", "p.yaml", "--frames", "1e3"}, "--frames", "1e3", expected);
  expect_refused({"run", "p.yaml", "--frames", "99999999999999999999"}, "--frames",
                 "99999999999999999999", "too large");
  expect_refused({"run", "p.yaml", "--frames", "-99999999999999999999"}, "--frames",
                 "-99999999999999999999", expected);
  const ProcessResult two = conveyor({"run", "p.yaml", "--frames", "2", "-q"});
  ASSERT_EQ(two.exit_code, 0) << describe(two);
  EXPECT_EQ(nlohmann::json::parse(read("report.json"))["frames"]["decoded"], 2);
}

TEST_F(OptionRangeTest, ThreadsOfEveryCommandAreZeroOrOneTo1024) {
  const std::string range = "a thread count from 1 to 1024";
  for (const std::string value : {"100000", "1025", "-1", "two", "99999999999999999999999"}) {
    expect_refused({"run", "p.yaml", "--threads", value}, "--threads", value, range);
    expect_refused({"validate", "p.yaml", "--threads", value}, "--threads", value, range);
    expect_refused({"apply", "--print", "-k", "sobel_x", "--threads", value, "in.txt"}, "--threads",
                   value, range);
  }
  // 1024 is accepted, and planned or run with no more threads than can run at once.
  const ProcessResult plan = conveyor({"validate", "p.yaml", "--threads", "1024"});
  EXPECT_EQ(plan.exit_code, 0) << describe(plan);
  EXPECT_EQ(plan.out.find("1024 thread(s)"), std::string::npos) << describe(plan);
  const ProcessResult apply =
      conveyor({"apply", "--print", "-k", "sobel_x", "--threads", "1024", "in.txt"});
  EXPECT_EQ(apply.exit_code, 0) << describe(apply);
  EXPECT_EQ(apply.err.find("TBB Warning"), std::string::npos) << describe(apply);
}

TEST_F(OptionRangeTest, ReportStatesTheThreadsReallyUsed) {
  const ProcessResult run = conveyor({"run", "p.yaml", "--threads", "1024", "-q"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(run.err.find("TBB Warning"), std::string::npos) << describe(run);
  const auto report = nlohmann::json::parse(read("report.json"));
  EXPECT_EQ(report["threads_requested"], 1024);
  const int used = report["threads"].get<int>();
  EXPECT_GE(used, 1);
  EXPECT_LE(used, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  // The same for runtime.threads in the file.
  const ProcessResult yaml = conveyor({"run", "p.yaml", "--set", "runtime.threads=1024", "-q"});
  ASSERT_EQ(yaml.exit_code, 0) << describe(yaml);
  EXPECT_EQ(nlohmann::json::parse(read("report.json"))["threads"], used);
}

TEST_F(OptionRangeTest, NamedValuesListTheChoices) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--log-level", "loud", "validate", "p.yaml"},
        std::vector<std::string>{"validate", "p.yaml", "--log-level", "loud"}}) {
    expect_error(conveyor(args), 2,
                 {"--log-level: 'loud' is not a log level", "expected one of trace, debug"});
  }
  expect_error(conveyor({"kernels", "--log-level", "inf"}), 2, {"did you mean 'info'"});
  EXPECT_EQ(conveyor({"run", "p.yaml", "--frames", "+2", "-q"}).exit_code, 0);
}

TEST_F(OptionRangeTest, ApplyStrideIsOneTo64LikeThePipelines) {
  const std::string range = "at least 1 and at most 64";
  for (const std::string value : {"65", "100000", "1,100000", "2147483647", "0,3"}) {
    const ProcessResult result =
        conveyor({"apply", "--print", "-k", "sobel_x", "--stride", value, "in.txt"});
    SCOPED_TRACE(value);
    expect_error(result, 2, {"--stride '" + value + "'", range});
  }
  EXPECT_EQ(conveyor({"apply", "--print", "-k", "sobel_x", "--stride", "64", "in.txt"}).exit_code,
            0);
}

}  // namespace
}  // namespace conveyor::testing
