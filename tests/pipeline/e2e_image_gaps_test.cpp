// End to end: an image sequence with holes in its numbering (g_3.png missing
// between g_2.png and g_4.png). Gaps do not end the sequence (docs/pipelines.md),
// for printf patterns and globs alike: every file is read, and the run says so,
// naming the first missing file and how many files after it were read, in a
// warning (run and validate) and in the report's source_notes.
#include <opencv2/imgcodecs.hpp>

#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

struct GapCase {
  std::string name;
  std::string pattern;
  std::string missing;  // the first missing file
};

void PrintTo(const GapCase& value, std::ostream* os) {
  *os << value.name;
}

class e2eImageGaps : public ::testing::TestWithParam<GapCase> {};

TEST_P(e2eImageGaps, EveryFileIsReadAndTheGapIsNamed) {
  TempDir dir;
  // 1 2 _ 4 5 6 _ _ 9 10: two gaps, 7 files, 5 of them after the first gap.
  for (const int i : {1, 2, 4, 5, 6, 9, 10}) {
    const cv::Mat image = clip_frame(i, cv::Size(64, 32));
    char padded[16];
    std::snprintf(padded, sizeof padded, "%03d", i);
    ASSERT_TRUE(cv::imwrite((dir.path() / ("g_" + std::to_string(i) + ".png")).string(), image));
    ASSERT_TRUE(cv::imwrite((dir.path() / (std::string("h_") + padded + ".png")).string(), image));
  }
  const GapCase& c = GetParam();
  const fs::path pipeline =
      dir.write("gaps.yaml", "name: gaps\nsource: { type: images, pattern: '" + c.pattern +
                                 "' }\nstages: [{ bank: [sobel_x] }]\nsinks: [{ type: null }]\n"
                                 "metrics: { report: out/report.json }\n");
  const std::string said = c.missing + "' is missing";
  const std::string read_after = "the 5 file(s) after it are read";

  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string(), "-q"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_TRUE(contains(run.err, said)) << describe(run);
  EXPECT_TRUE(contains(run.err, read_after)) << describe(run);
  const nlohmann::json report = read_json(dir.path() / "out/report.json");
  ASSERT_NO_FATAL_FAILURE(expect_balanced(report));
  EXPECT_EQ(report["frames"]["decoded"], 7) << report.dump(2);
  const std::string notes = report.at("source_notes").get<std::string>();
  EXPECT_TRUE(contains(notes, said)) << notes;
  EXPECT_TRUE(contains(notes, read_after)) << notes;
  EXPECT_TRUE(contains(notes, "2 gaps in all, 3 numbers missing")) << notes;

  const ProcessResult validate = conveyor_in(dir, {"validate", pipeline.string()});
  EXPECT_EQ(validate.exit_code, 0) << describe(validate);
  EXPECT_TRUE(contains(validate.err, said)) << describe(validate);
}

INSTANTIATE_TEST_SUITE_P(Patterns, e2eImageGaps,
                         ::testing::Values(GapCase{"printf", "g_%d.png", "g_3.png"},
                                           GapCase{"printf_padded", "h_%03d.png", "h_003.png"},
                                           GapCase{"glob", "g_*.png", "g_3.png"},
                                           GapCase{"glob_padded", "./h_*.png", "h_003.png"}),
                         [](const auto& p) { return p.param.name; });

TEST(e2eImageGaps, NoGapNoWarningAndAFieldInAFolderIsRefused) {
  TempDir dir;
  for (const int i : {0, 1, 2}) {
    ASSERT_TRUE(cv::imwrite((dir.path() / ("f_" + std::to_string(i) + ".png")).string(),
                            clip_frame(i, cv::Size(64, 32))));
  }
  const std::string tail = "' }\nstages: [{ bank: [sobel_x] }]\nsinks: [{ type: null }]\n";
  const fs::path whole =
      dir.write("whole.yaml", "source: { type: images, pattern: 'f_%d.png" + tail);
  const ProcessResult run = conveyor_in(dir, {"run", whole.string(), "-q"});
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_FALSE(contains(run.err, "missing")) << describe(run);
  const fs::path folder =
      dir.write("folder.yaml", "source: { type: images, pattern: 'd%d/f.png" + tail);
  const ProcessResult refused = conveyor_in(dir, {"run", folder.string(), "-q"});
  EXPECT_EQ(refused.exit_code, 3) << describe(refused);
  EXPECT_TRUE(contains(refused.err, "must be in the file name")) << describe(refused);
}

}  // namespace
}  // namespace conveyor::testing::e2e
