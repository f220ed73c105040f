// `apply` and `report --plot` read some files and write others: an output
// that is one of the inputs (however spelled, or a hard link), or that two
// maps would both write, is refused with exit 2 naming both paths, and the
// input is left byte for byte as it was.
#include <unistd.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

class OverwriteTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    cv::Mat picture(12, 16, CV_8UC1);
    cv::randu(picture, 0, 255);
    ASSERT_TRUE(cv::imwrite((dir / "in.png").string(), picture));
    ASSERT_TRUE(cv::imwrite((dir / "in_sobel_x.png").string(), picture));
    ASSERT_EQ(::link((dir / "in.png").c_str(), (dir / "hard.png").c_str()), 0);
    write("k.txt", "0 1 0\n1 -4 1\n0 1 0\n");
    std::filesystem::create_directories(dir / "sub");
  }

  // The command fails with exit 2 naming `fragments`, and no file changed.
  void expect_refused(const std::vector<std::string>& args,
                      const std::vector<std::string>& fragments) {
    const std::vector<std::string> files = {"in.png", "in_sobel_x.png", "k.txt"};
    std::vector<std::string> before;
    for (const auto& file : files) before.push_back(read(file));
    const auto result = conveyor(args);
    expect_error(result, 2, fragments);
    for (std::size_t i = 0; i < files.size(); ++i) {
      EXPECT_EQ(read(files[i]), before[i]) << files[i] << " changed";
    }
  }
};

TEST_F(OverwriteTest, ApplyRefusesToWriteOverItsInput) {
  expect_refused({"apply", "-k", "sobel_x", "in.png", "-o", "./in.png"},
                 {"output './in.png' is the same file as the input 'in.png'",
                  "apply would overwrite a file it reads", "expected a different path"});
  expect_refused({"apply", "-k", "sobel_x", "in.png", "-o", "sub/../in.png"},
                 {"output 'sub/../in.png'", "the input 'in.png'"});
  expect_refused({"apply", "-k", "box3", "in.png", "-o", "hard.png"},
                 {"output 'hard.png' is the same file as the input 'in.png'"});
  // Several maps: one file per map, and the sobel_x one is the input.
  expect_refused({"apply", "-k", "sobel_x", "-k", "sobel_y", "in_sobel_x.png", "-o", "in.png"},
                 {"output 'in_sobel_x.png' is the same file as the input 'in_sobel_x.png'"});
  // A kernel file read with -k.
  expect_refused({"apply", "-k", "k.txt", "in.png", "-o", "./k.txt"},
                 {"output './k.txt' is the same file as kernel file 'k.txt'"});
}

TEST_F(OverwriteTest, ApplyStillWritesDistinctOutputsBesideTheInput) {
  const auto result =
      conveyor({"apply", "-k", "sobel_x", "-k", "box3", "in.png", "-o", "sub/../out.png"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_TRUE(std::filesystem::exists(dir / "out_sobel_x.png"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out_box3.png"));
}

TEST_F(OverwriteTest, ReportPlotRefusesToWriteOverTheReportOrTrace) {
  write("p.yaml",
        "source: {type: testpattern, width: 64, height: 48, frames: 3}\n"
        "stages: [{bank: [box3]}]\nsinks: [{type: null}]\n"
        "metrics: {report: r.json, trace: t.csv}\n");
  const auto run = conveyor({"run", "p.yaml", "-q"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  const std::string report = read("r.json");
  const std::string trace = read("t.csv");
  const auto over_report = conveyor({"report", "r.json", "--plot", "./r.json"});
  expect_error(over_report, 2,
               {"--plot './r.json' is the same file as the report 'r.json'",
                "report would overwrite a file it reads"});
  const auto over_trace = conveyor({"report", "r.json", "--plot", "sub/../t.csv"});
  EXPECT_EQ(over_trace.exit_code, 2) << describe(over_trace);
  EXPECT_NE(over_trace.err.find("--plot 'sub/../t.csv' is the same file as the trace 't.csv'"),
            std::string::npos)
      << describe(over_trace);
  EXPECT_EQ(read("r.json"), report);
  EXPECT_EQ(read("t.csv"), trace);
  const auto plot = conveyor({"report", "r.json", "--plot", "latency.png"});
  EXPECT_EQ(plot.exit_code, 0) << describe(plot);
}

}  // namespace
}  // namespace conveyor::testing
