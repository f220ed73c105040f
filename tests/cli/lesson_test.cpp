// The classic lesson: a 7x7 binary picture (a smiley), a 3x3 binary feature
// detector, and the feature map it gives at stride 1 and 2 with no padding.
// The expected maps were computed by hand: each cell counts the detector's
// four 1s that land on 1s of the picture.
#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

constexpr const char* kSmiley =
    "# a 7x7 smiley: two eyes, a nose, a mouth\n"
    "0 0 0 0 0 0 0\n"
    "0 1 0 0 0 1 0\n"
    "0 0 0 0 0 0 0\n"
    "0 0 0 1 0 0 0\n"
    "1 0 0 0 0 0 1\n"
    "0 1 1 1 1 1 0\n"
    "0 0 0 0 0 0 0\n";

constexpr const char* kDetector = "[[0,0,1],[1,0,0],[0,1,1]]";

class LessonTest : public CliTest {};

TEST_F(LessonTest, StrideOneGivesTheHandComputedFiveByFiveMap) {
  write("smiley.txt", kSmiley);
  const auto result =
      conveyor({"apply", "--border", "valid", "--print", "--kernel", kDetector, "smiley.txt"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(result.out,
            "0 1 0 0 0\n"
            "0 1 1 1 0\n"
            "0 0 0 1 1\n"
            "3 3 2 2 1\n"
            "0 1 1 1 2\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(LessonTest, StrideTwoGivesTheHandComputedThreeByThreeMap) {
  write("smiley.txt", kSmiley);
  const auto result = conveyor({"apply", "--border", "valid", "--stride", "2", "--print",
                                "--kernel", kDetector, "smiley.txt"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(result.out,
            "0 0 0\n"
            "0 0 1\n"
            "0 1 2\n");
}

TEST_F(LessonTest, DetectorFromAFileAndCommasInThePicture) {
  write("smiley.csv",
        "0,0,0,0,0,0,0\n0,1,0,0,0,1,0\n0,0,0,0,0,0,0\n0,0,0,1,0,0,0\n"
        "1,0,0,0,0,0,1\n0,1,1,1,1,1,0\n0,0,0,0,0,0,0\n");
  write("detector.txt", "0 0 1\n1 0 0\n0 1 1\n");
  const auto result = conveyor({"apply", "--border", "valid", "--stride", "2,2", "--print",
                                "--kernel", "detector.txt", "smiley.csv"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(result.out, "0 0 0\n0 0 1\n0 1 2\n");
}

TEST_F(LessonTest, SeveralDetectorsGiveSeveralMapsWithHeaders) {
  write("smiley.txt", kSmiley);
  // The second detector is the identity's centre tap: it crops the picture.
  const auto result = conveyor({"apply", "--border", "valid", "--stride", "2", "--print", "-k",
                                kDetector, "-k", "[[0,0,0],[0,1,0],[0,0,0]]", "smiley.txt"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(result.out,
            "# kernel1 3x3\n"
            "0 0 0\n"
            "0 0 1\n"
            "0 1 2\n"
            "# kernel2 3x3\n"
            "1 0 1\n"
            "0 1 0\n"
            "1 1 1\n");
}

TEST_F(LessonTest, TheMapIsWrittenAsATextMatrix) {
  write("smiley.txt", kSmiley);
  const auto result = conveyor({"apply", "--border", "valid", "--stride", "2", "-k", kDetector,
                                "smiley.txt", "-o", "map.txt"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const std::string text = read("map.txt");
  EXPECT_EQ(text, "0 0 0\n0 0 1\n0 1 2\n");
}

}  // namespace
}  // namespace conveyor::testing
