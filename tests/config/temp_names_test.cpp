// Temporary output names: every writer's name says whose it is (host, pid,
// random part), keeps the real extension last, and reads back exactly.
#include "conveyor/util/temp_names.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

namespace conveyor::util {
namespace {

TEST(TempNames, HiddenBesideTheOutputWithTheRealExtensionLast) {
  const std::filesystem::path temp = temporary_name_for("out/base.mkv");
  EXPECT_EQ(temp.parent_path(), "out");
  EXPECT_EQ(temp.extension(), ".mkv");
  const std::string name = temp.filename().string();
  EXPECT_EQ(
      name.rfind(".base.mkv.partial." + host_name() + "." + std::to_string(::getpid()) + ".", 0),
      0u)
      << name;
  EXPECT_EQ(temporary_name_for("trace").filename().string().find(".trace.partial."), 0u);
}

TEST(TempNames, EachCallGetsItsOwnName) {
  std::set<std::string> names;
  for (int i = 0; i < 100; ++i) names.insert(temporary_name_for("a/b.png").string());
  EXPECT_EQ(names.size(), 100u);
}

TEST(TempNames, ReadBackWhatWasWritten) {
  for (const std::string output :
       {"base.mkv", "frames.csv", "report", "a.partial.b.json", ".hidden.png", "x.tar.gz"}) {
    const std::string name = temporary_name_for(output).filename().string();
    const auto parsed = parse_temporary_name(name);
    ASSERT_TRUE(parsed) << name;
    EXPECT_EQ(parsed->final_name, output) << name;
    EXPECT_EQ(parsed->host, host_name());
    EXPECT_EQ(parsed->pid, static_cast<long>(::getpid()));
    EXPECT_EQ(parsed->random.size(), 8u);
  }
}

TEST(TempNames, HostNamesWithDotsReadBack) {
  const auto parsed =
      parse_temporary_name(".v.mkv.partial.node7.cluster.example.org.42.0a1b2c3d.mkv");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->final_name, "v.mkv");
  EXPECT_EQ(parsed->host, "node7.cluster.example.org");
  EXPECT_EQ(parsed->pid, 42);
  EXPECT_EQ(parsed->random, "0a1b2c3d");
}

TEST(TempNames, OtherNamesAreNotTemporaries) {
  for (const std::string name :
       {"base.mkv", ".base.partial.123.mkv",    // the older scheme, without host and random part
        ".v.mkv.partial.host.42.0a1b2c3d.avi",  // extension differs from the output's
        ".v.mkv.partial.host.x42.0a1b2c3d.mkv", ".v.mkv.partial.host.42.0a1b2c3.mkv",
        ".v.mkv.partial.42.0a1b2c3d.mkv",  // no host
        ".v.mkv.partial.host.42.0a1b2c3g.mkv", ".partial.host.1.0a1b2c3d", ""}) {
    EXPECT_FALSE(parse_temporary_name(name)) << name;
  }
}

}  // namespace
}  // namespace conveyor::util
