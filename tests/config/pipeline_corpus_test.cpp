// Replays the fuzz corpus (tests/fuzz/corpus) through the loader with any
// compiler, so CI checks every saved input even without libFuzzer: each one
// either loads or throws PipelineError with a positioned message.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/fuzz_input.hpp"
#include "pipeline_test_util.hpp"
#include "support/paths.hpp"

namespace conveyor::testing {
namespace {

TEST(PipelineCorpus, EveryInputLoadsOrFailsCleanly) {
  const std::filesystem::path folder = std::filesystem::path(source_dir()) / "tests/fuzz/corpus";
  ASSERT_TRUE(std::filesystem::is_directory(folder)) << folder;
  int inputs = 0;
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string content = bytes.str();
    std::vector<std::string> overrides;
    const std::string_view text = fuzz::split_fuzz_input(content, overrides);
    SCOPED_TRACE(entry.path().filename().string());
    ++inputs;
    try {
      const auto spec =
          config::load_pipeline_from_string(text, kTestFile, overrides, &test_library());
      ++loaded;
      for (const int side : {1, 7, 640}) {
        try {
          config::check_geometry(spec, side, side);
        } catch (const config::PipelineError&) {
        }
      }
    } catch (const config::PipelineError& e) {
      // Every diagnostic names the file it is about.
      for (const auto& diagnostic : e.diagnostics())
        EXPECT_EQ(diagnostic.mark.file.rfind(kTestFile, 0), 0u) << diagnostic.str();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "unexpected exception: " << e.what();
    }
  }
  EXPECT_GE(inputs, 10);
  EXPECT_GE(loaded, 4);  // the valid seeds stay valid
}

}  // namespace
}  // namespace conveyor::testing
