// util::FileSet: files and name patterns compared as files. The pipeline and
// CLI tests drive the same code through the binary; these pin the pattern
// rules (padding, widths, %% and globs) that are awkward to reach that way.
#include "conveyor/util/file_set.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace conveyor::util {
namespace {

FileSet numbered(const std::string& pattern) {
  auto set = FileSet::numbered(pattern);
  EXPECT_TRUE(set.has_value()) << pattern;
  return set ? *set : FileSet::file(pattern);
}

TEST(FileSet, NumberedPatternsOverlapWhereTheyShareAName) {
  EXPECT_TRUE(overlap(numbered("out/f_%d.png"), FileSet::file("out/./f_12.png")));
  EXPECT_TRUE(overlap(numbered("out/f_%03d.png"), FileSet::file("out/f_007.png")));
  EXPECT_TRUE(overlap(numbered("out/f_%03d.png"), FileSet::file("out/f_1234.png")));
  EXPECT_TRUE(overlap(numbered("out/f_%5d.png"), FileSet::file("out/f_   12.png")));
  EXPECT_TRUE(overlap(numbered("out/f_%d.png"), numbered("out/sub/../f_%05d.png")));  // 10000
  EXPECT_TRUE(overlap(numbered("out/f_%d.png"), numbered("out/f_1%d.png")));          // f_10.png
  EXPECT_TRUE(overlap(numbered("out/100%%_%d.png"), FileSet::file("out/100%_3.png")));
  EXPECT_TRUE(overlap(FileSet::glob("out/*.png"), numbered("out/f_%d.png")));
  EXPECT_TRUE(overlap(FileSet::glob("out/f_?.png"), FileSet::file("out/f_1.png")));
  EXPECT_TRUE(overlap(FileSet::glob("out/*.png"), FileSet::glob("out/f_*.png")));
}

TEST(FileSet, DistinctNamesDoNotOverlap) {
  EXPECT_FALSE(overlap(numbered("out/f_%d.png"), FileSet::file("out/f_007.png")));  // %d: f_7
  EXPECT_FALSE(overlap(numbered("out/f_%03d.png"), FileSet::file("out/f_07.png")));
  EXPECT_FALSE(overlap(numbered("out/f_%d.png"), FileSet::file("out/f_x.png")));
  EXPECT_FALSE(overlap(numbered("out/f_%d.png"), FileSet::file("other/f_1.png")));
  EXPECT_FALSE(overlap(numbered("out/f_%d.png"), numbered("out/f_%d.tif")));
  EXPECT_FALSE(overlap(numbered("out/f_%d.png"), numbered("out/g_%d.png")));
  EXPECT_FALSE(overlap(FileSet::glob("out/*.png"), FileSet::file("out/.f.partial.1.png")));
  EXPECT_FALSE(overlap(FileSet::file("out/a.mkv"), FileSet::file("out/b.mkv")));
  EXPECT_FALSE(overlap(FileSet::file("/dev/null"), FileSet::file("/dev/./null")));  // a device
  EXPECT_FALSE(FileSet::numbered("out/f.png").has_value());
  EXPECT_FALSE(FileSet::numbered("out/f_%d_%d.png").has_value());
  EXPECT_FALSE(FileSet::numbered("out/f_%s.png").has_value());
}

TEST(FileSet, HardLinksAndSymlinksAreTheSameFile) {
  testing::TempDir dir;
  namespace fs = std::filesystem;
  fs::create_directories(dir / "pics");
  dir.write("pics/a_1.png", "x");
  ASSERT_EQ(::link((dir / "pics/a_1.png").c_str(), (dir / "hard.png").c_str()), 0);
  fs::create_directory_symlink(dir / "pics", dir / "link");
  EXPECT_TRUE(overlap(FileSet::file((dir / "hard.png").string()),
                      FileSet::file((dir / "pics/a_1.png").string())));
  EXPECT_TRUE(overlap(FileSet::file((dir / "hard.png").string()),
                      numbered((dir / "pics/a_%d.png").string())));  // found by the folder scan
  EXPECT_TRUE(overlap(FileSet::file((dir / "link/new.png").string()),
                      FileSet::file((dir / "pics/new.png").string())));
  EXPECT_TRUE(overlap_existing(numbered((dir / "link/a_%d.png").string()),
                               FileSet::glob((dir / "pics/*.png").string())));
  EXPECT_FALSE(overlap_existing(numbered((dir / "link/b_%d.png").string()),
                                FileSet::glob((dir / "pics/*.png").string())));
}

}  // namespace
}  // namespace conveyor::util
