// `conveyor nodes`: every node type with its parameters, and the reference in
// docs/pipelines.md equal to what the program declares.
#include <fstream>
#include <sstream>
#include <string>

#include "cli_fixture.hpp"
#include "support/paths.hpp"

namespace conveyor::testing {
namespace {

class NodesCommandTest : public CliTest {};

TEST_F(NodesCommandTest, ListsEverySourceAndSinkWithTheirKeys) {
  const auto result = conveyor({"nodes"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  for (const char* line :
       {"source file: ", "source images: ", "source testpattern: ", "source gstreamer: ",
        "source webcam: ", "sink file: ", "sink images: ", "sink null: ", "sink display: ",
        "    read_retries: 0..1000 (50)", "    fourcc: ", "    overlay: "}) {
    EXPECT_NE(("\n" + result.out).find(std::string("\n") + line), std::string::npos)
        << line << " missing from\n"
        << result.out;
  }
}

TEST_F(NodesCommandTest, OneTypeAndUnknownTypes) {
  const auto file = conveyor({"nodes", "testpattern"});
  ASSERT_EQ(file.exit_code, 0) << describe(file);
  EXPECT_EQ(file.out.rfind("source testpattern: ", 0), 0u) << file.out;
  EXPECT_EQ(file.out.find("sink "), std::string::npos) << file.out;
  const auto unknown = conveyor({"nodes", "webcm"});
  EXPECT_EQ(unknown.exit_code, 2) << describe(unknown);
  EXPECT_NE(unknown.err.find("did you mean 'webcam'?"), std::string::npos) << unknown.err;
}

// The docs' reference is the program's own: add a parameter or a type and
// this fails until docs/pipelines.md is regenerated (conveyor nodes --markdown).
TEST_F(NodesCommandTest, DocsReferenceMatchesTheDescriptors) {
  const auto generated = conveyor({"nodes", "--markdown"});
  ASSERT_EQ(generated.exit_code, 0) << describe(generated);
  std::ifstream docs(std::string(source_dir()) + "/docs/pipelines.md");
  std::stringstream text;
  text << docs.rdbuf();
  const std::string all = text.str();
  const std::string begin = "<!-- nodes:begin -->\n";
  const auto from = all.find(begin);
  const auto to = all.find("<!-- nodes:end -->");
  ASSERT_NE(from, std::string::npos) << "docs/pipelines.md has no nodes:begin marker";
  ASSERT_NE(to, std::string::npos) << "docs/pipelines.md has no nodes:end marker";
  EXPECT_EQ(all.substr(from + begin.size(), to - from - begin.size()), generated.out)
      << "docs/pipelines.md's node reference differs from `conveyor nodes --markdown`";
}

}  // namespace
}  // namespace conveyor::testing
