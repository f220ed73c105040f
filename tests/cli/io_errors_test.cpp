// Exit code 3 (the input cannot be read) and 4 (the output cannot be written).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

class InputErrorTest : public CliTest {
 protected:
  ProcessResult apply_to(const std::string& input) const {
    return conveyor({"apply", "-k", "sobel_x", "--print", input});
  }
};

TEST_F(InputErrorTest, MissingFile) {
  expect_error(apply_to("nope.png"), 3, {"'nope.png'", "does not exist", "expected an image"});
}

TEST_F(InputErrorTest, EmptyFile) {
  write("empty.png", "");
  expect_error(apply_to("empty.png"), 3, {"'empty.png'", "empty (0 bytes)"});
  write("empty.txt", "");
  expect_error(apply_to("empty.txt"), 3, {"'empty.txt'", "empty (0 bytes)"});
}

TEST_F(InputErrorTest, Directory) {
  std::filesystem::create_directory(dir / "folder.png");
  expect_error(apply_to("folder.png"), 3, {"'folder.png'", "is a directory"});
}

TEST_F(InputErrorTest, NotAnImage) {
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise += static_cast<char>((i * 7919 + 13) % 251);
  write("noise.png", noise);
  expect_error(apply_to("noise.png"), 3, {"'noise.png'", "not an image", "expected"});
  write("words.jpg", "this is not a picture\n");
  expect_error(apply_to("words.jpg"), 3, {"'words.jpg'", "not an image"});
}

TEST_F(InputErrorTest, MalformedTextMatrixNamesTheLine) {
  write("bad.txt", "1 2 3\n4 five 6\n");
  expect_error(apply_to("bad.txt"), 3, {"bad.txt:2:3", "'five'", "expected a number"});
  write("ragged.txt", "1 2 3\n4 5\n");
  expect_error(apply_to("ragged.txt"), 3, {"ragged.txt:2:", "row 2 has 2 values"});
}

// libjpeg decodes a cut JPEG with its missing rows made up: refused instead.
TEST_F(InputErrorTest, TruncatedJpeg) {
  std::string matrix;
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) matrix += std::to_string((x * 7 + y * 13) % 256) + " ";
    matrix += "\n";
  }
  write("picture.txt", matrix);
  const ProcessResult made =
      conveyor({"apply", "-k", "[[1]]", "--to-u8", "clamp", "picture.txt", "-o", "whole.jpg"});
  ASSERT_EQ(made.exit_code, 0) << describe(made);
  const std::string jpeg = read("whole.jpg");
  ASSERT_GT(jpeg.size(), 100u);
  write("cut.jpg", jpeg.substr(0, jpeg.size() / 2));
  EXPECT_EQ(apply_to("whole.jpg").exit_code, 0);
  expect_error(apply_to("cut.jpg"), 3, {"'cut.jpg'", "is truncated", "end-of-image marker"});
}

TEST_F(InputErrorTest, UnreadableFile) {
  write("secret.txt", "1 2\n3 4\n");
  ::chmod((dir / "secret.txt").c_str(), 0);
  expect_error(conveyor_bound_by_permissions({"apply", "-k", "sobel_x", "--print", "secret.txt"}),
               3, {"'secret.txt'", "cannot be read"});
}

class OutputErrorTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    write("in.txt", "1 2 3\n4 5 6\n7 8 9\n");
  }
  ProcessResult apply_to(const std::string& output) const {
    return conveyor({"apply", "-k", "sobel_x", "in.txt", "-o", output});
  }
};

TEST_F(OutputErrorTest, MissingFolder) {
  expect_error(apply_to("no/such/folder/out.tif"), 4,
               {"'no/such/folder/out.tif'", "folder 'no/such/folder' does not exist"});
}

TEST_F(OutputErrorTest, UnknownOrMissingExtension) {
  expect_error(apply_to("out.xyz"), 4, {"'out.xyz'", "unknown extension '.xyz'", ".tif"});
  expect_error(apply_to("out"), 4, {"'out'", "no extension"});
}

TEST_F(OutputErrorTest, OutputIsADirectory) {
  std::filesystem::create_directory(dir / "taken.png");
  expect_error(apply_to("taken.png"), 4, {"'taken.png'", "directory"});
}

TEST_F(OutputErrorTest, WriterRefusesTheFile) {
  // /proc accepts no new files, even from root: cv::imwrite fails (or throws).
  const auto result = apply_to("/proc/conveyor-test-out.png");
  expect_error(result, 4, {"/proc/conveyor-test-out.png"});
  EXPECT_FALSE(std::filesystem::exists("/proc/conveyor-test-out.png"));
}

TEST_F(OutputErrorTest, UnwritableFolder) {
  std::filesystem::create_directory(dir / "locked");
  ::chmod((dir / "locked").c_str(), 0555);
  expect_error(
      conveyor_bound_by_permissions({"apply", "-k", "sobel_x", "in.txt", "-o", "locked/out.tif"}),
      4, {"locked", "not writable"});
}

TEST_F(OutputErrorTest, NothingIsLeftBehindOnFailure) {
  expect_error(apply_to("out.xyz"), 4, {});
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);  // only in.txt
}

}  // namespace
}  // namespace conveyor::testing
