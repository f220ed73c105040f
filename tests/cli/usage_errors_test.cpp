// Exit code 2: every usage and configuration mistake, each message naming the
// offending value and what was expected.
#include <string>

#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

class UsageErrorTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    write("in.txt", "1 2 3 4\n5 6 7 8\n9 10 11 12\n13 14 15 16\n");
  }

  // apply with one kernel and extra options, printing to stdout.
  ProcessResult apply(const std::string& kernel, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"apply", "--print", "--kernel", kernel};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("in.txt");
    return conveyor(args);
  }
};

TEST_F(UsageErrorTest, NonFiniteWeightInlineInFileAndInLibrary) {
  expect_error(apply("[[1,nan,1]]"), 2, {"'nan'", "finite"});
  expect_error(apply("[[1,1],[inf,1]]", {"--border", "valid"}), 2, {"'inf'", "finite"});
  write("k.txt", "0 1 0\n1 -inf 1\n0 1 0\n");
  expect_error(apply("k.txt"), 2, {"k.txt:2:3", "'-inf'", "finite"});
  write("lib.yaml", "kernels:\n  bad:\n    weights: [[1, .nan, 1]]\n");
  expect_error(apply("bad", {"--kernels-file", "lib.yaml"}), 2, {"lib.yaml:3", ".nan", "finite"});
}

TEST_F(UsageErrorTest, EmptyKernel) {
  expect_error(apply("[[]]"), 2, {"[[]]", "at least one number"});
  expect_error(apply("[]"), 2, {"at least one number"});
  write("empty.txt", "# nothing but a comment\n\n");
  expect_error(apply("empty.txt"), 2, {"empty.txt", "no numbers"});
}

TEST_F(UsageErrorTest, RaggedRows) {
  expect_error(apply("[[1,2,3],[4,5]]"), 2, {"row 2 has 2 values", "expected 3"});
  write("ragged.txt", "1 2 3\n4 5 6\n7 8\n");
  expect_error(apply("ragged.txt"), 2, {"ragged.txt:3:", "row 3 has 2 values", "expected 3"});
}

TEST_F(UsageErrorTest, KernelOver31x31) {
  std::string row = "[";
  for (int i = 0; i < 33; ++i) row += (i > 0 ? ",1" : "1");
  row += "]";
  expect_error(apply("[" + row + "]", {"--border", "valid"}), 2, {"33x1", "31x31"});
  expect_error(apply("box:size=33"), 2, {"box", "33", "1 to 31"});
}

TEST_F(UsageErrorTest, StrideBelowOneOrNotANumber) {
  expect_error(apply("sobel_x", {"--stride", "0"}), 2, {"--stride '0'", "at least 1"});
  expect_error(apply("sobel_x", {"--stride", "2,0"}), 2, {"--stride '2,0'", "at least 1"});
  expect_error(apply("sobel_x", {"--stride", "-1"}), 2, {"'-1'", "at least 1"});
  expect_error(apply("sobel_x", {"--stride", "two"}), 2, {"'two'", "expected an integer"});
}

TEST_F(UsageErrorTest, UnknownBorderSuggestsTheClosest) {
  expect_error(apply("sobel_x", {"--border", "reflekt"}), 2,
               {"unknown border 'reflekt'", "did you mean 'reflect'", "valid, zero"});
  expect_error(apply("sobel_x", {"--border", "mirror"}), 2, {"'mirror'", "expected valid"});
}

TEST_F(UsageErrorTest, UnknownKernelNameSuggestsTheClosest) {
  expect_error(apply("sobelx"), 2, {"unknown kernel 'sobelx'", "did you mean 'sobel_x'"});
  expect_error(apply("gausian:size=5"), 2, {"'gausian'", "did you mean 'gaussian'"});
  expect_error(apply("gaussian:sise=5"), 2, {"'sise'", "did you mean 'size'"});
  expect_error(apply("missing.txt"), 2, {"'missing.txt' does not exist"});
}

TEST_F(UsageErrorTest, EvenKernelNeedsAnAnchorUnlessValid) {
  expect_error(apply("[[1,0],[0,-1]]"), 2, {"2x2", "no anchor", "--anchor X,Y", "--border valid"});
  const auto valid = apply("[[1,0],[0,-1]]", {"--border", "valid"});
  EXPECT_EQ(valid.exit_code, 0) << describe(valid);
  EXPECT_EQ(valid.out, "-5 -5 -5\n-5 -5 -5\n-5 -5 -5\n");
  const auto anchored = apply("[[1,0],[0,-1]]", {"--anchor", "0,0", "--border", "zero"});
  EXPECT_EQ(anchored.exit_code, 0) << describe(anchored);
  expect_error(apply("[[1,0],[0,-1]]", {"--anchor", "2,0"}), 2, {"--anchor 2,0", "outside"});
  // The library's even kernels carry their anchor.
  EXPECT_EQ(apply("roberts_x").exit_code, 0);
}

TEST_F(UsageErrorTest, BadCommandLineUsage) {
  expect_error(conveyor({"apply", "--kernel", "sobel_x"}), 2, {"INPUT"});
  expect_error(conveyor({"apply", "--print", "in.txt"}), 2, {"--kernel"});
  expect_error(conveyor({"apply", "--bogus", "-k", "sobel_x", "--print", "in.txt"}), 2,
               {"--bogus"});
  expect_error(apply("sobel_x", {"--threads", "many"}), 2, {"--threads"});
  expect_error(conveyor({"apply", "-k", "sobel_x", "in.txt"}), 2, {"-o OUTPUT", "--print"});
  expect_error(conveyor({"aply"}), 2, {"unknown command 'aply'", "did you mean 'apply'"});
  expect_error(conveyor({}), 2, {"no command"});
  expect_error(apply("sobel_x", {"--combine", "magnitud"}), 2,
               {"'magnitud'", "did you mean 'magnitude'"});
  expect_error(apply("sobel_x", {"--combine", "weighted_sum"}), 2, {"weighted_sum", "--weights"});
  expect_error(apply("sobel_x", {"--combine", "weighted_sum", "--weights", "1,nan"}), 2,
               {"'nan'", "finite"});
  expect_error(apply("sobel_x", {"--weights", "1"}), 2, {"--weights", "weighted_sum"});
  expect_error(apply("sobel_x", {"--to-u8", "stretch"}), 2, {"'stretch'", "minmax"});
  expect_error(conveyor({"kernels", "sobelx"}), 2, {"'sobelx'", "did you mean 'sobel_x'"});
}

TEST_F(UsageErrorTest, HelpExitsZeroAndDescribesInputsOutputsAndExitCodes) {
  const auto root = conveyor({"--help"});
  EXPECT_EQ(root.exit_code, 0) << describe(root);
  for (const char* text : {"apply", "kernels", "Exit codes", "usage or configuration error",
                           "input cannot be opened", "output cannot be written"}) {
    EXPECT_NE(root.out.find(text), std::string::npos) << text << "\n" << root.out;
  }
  const auto apply_help = conveyor({"apply", "--help"});
  EXPECT_EQ(apply_help.exit_code, 0) << describe(apply_help);
  for (const char* text :
       {"--kernel", "--stride", "--border", "--anchor", "--flip", "--combine", "--weights",
        "--threads", "--print", "--kernels-file", "--to-u8", "INPUT", "OUTPUT", ".tif", ".png",
        ".txt", "--border valid", "Exit codes"}) {
    EXPECT_NE(apply_help.out.find(text), std::string::npos) << text << "\n" << apply_help.out;
  }
  EXPECT_EQ(conveyor({"kernels", "--help"}).exit_code, 0);
}

}  // namespace
}  // namespace conveyor::testing
