// `conveyor kernels`: every required name is listed with its matrix.
#include <string>

#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

class KernelsCommandTest : public CliTest {};

TEST_F(KernelsCommandTest, ListsEveryRequiredKernel) {
  const auto result = conveyor({"kernels"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  for (const char* name :
       {"identity",  "box",      "box3",      "box5",       "box7",       "gaussian",
        "sharpen",   "unsharp",  "laplacian", "laplacian4", "laplacian8", "sobel_x",
        "sobel_y",   "sobel_x3", "sobel_x5",  "sobel_x7",   "sobel_y3",   "sobel_y5",
        "sobel_y7",  "scharr_x", "scharr_y",  "prewitt_x",  "prewitt_y",  "roberts_x",
        "roberts_y", "emboss",   "outline",   "motion_blur"}) {
    EXPECT_NE(("\n" + result.out).find("\n" + std::string(name) + ": "), std::string::npos)
        << name << " missing from\n"
        << result.out;
  }
}

TEST_F(KernelsCommandTest, ShowsTheMatrixAndDefaults) {
  const auto sobel = conveyor({"kernels", "sobel_x"});
  ASSERT_EQ(sobel.exit_code, 0) << describe(sobel);
  EXPECT_NE(sobel.out.find("    -1 0 1\n    -2 0 2\n    -1 0 1\n"), std::string::npos) << sobel.out;
  EXPECT_NE(sobel.out.find("size=3"), std::string::npos) << sobel.out;
  const auto roberts = conveyor({"kernels", "roberts_x"});
  EXPECT_NE(roberts.out.find("anchor 0,0"), std::string::npos) << roberts.out;
  const auto gaussian = conveyor({"kernels", "gaussian"});
  EXPECT_NE(gaussian.out.find("    0.0625 0.125 0.0625\n"), std::string::npos) << gaussian.out;
}

TEST_F(KernelsCommandTest, UserFileAddsAndOverrides) {
  write("mine.yaml",
        "kernels:\n"
        "  sharpen:\n    description: My stronger sharpen.\n"
        "    weights: [[0, -2, 0], [-2, 9, -2], [0, -2, 0]]\n"
        "  ridge:\n    description: A ridge detector.\n    weights: [[-1, 2, -1]]\n");
  const auto result = conveyor({"kernels", "--kernels-file", "mine.yaml", "sharpen", "ridge"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("sharpen: My stronger sharpen."), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("    -2 9 -2\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("ridge: A ridge detector."), std::string::npos) << result.out;
  write("in.txt", "1 2 3\n");
  const auto applied = conveyor({"apply", "--kernels-file", "mine.yaml", "-k", "ridge", "--border",
                                 "valid", "--print", "in.txt"});
  EXPECT_EQ(applied.out, "0\n") << describe(applied);
}

TEST_F(KernelsCommandTest, BrokenUserFileNamesTheLine) {
  write("broken.yaml", "kernels:\n  a:\n    weights: [[1, 2], [3]]\n");
  expect_error(conveyor({"kernels", "--kernels-file", "broken.yaml"}), 2,
               {"broken.yaml:3:", "row 2 has 1 values", "expected 2"});
  write("in.txt", "1 2\n3 4\n");
  expect_error(
      conveyor({"apply", "--kernels-file", "broken.yaml", "-k", "[[1]]", "--print", "in.txt"}), 2,
      {"broken.yaml:3:"});
  expect_error(conveyor({"kernels", "--kernels-file", "absent.yaml"}), 2,
               {"absent.yaml", "does not exist"});
}

}  // namespace
}  // namespace conveyor::testing
