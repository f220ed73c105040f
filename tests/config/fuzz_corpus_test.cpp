// Replays the fuzz corpora (tests/fuzz/corpus/<target>) through the readers
// with any compiler, so CI checks every saved input even without libFuzzer:
// each one is accepted or refused with the reader's own error naming the file.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/report_reader.hpp"
#include "conveyor/util/exit_codes.hpp"
#include "fuzz/fuzz_input.hpp"
#include "pipeline_test_util.hpp"
#include "support/paths.hpp"

namespace conveyor::testing {
namespace {

// Every regular file of tests/fuzz/corpus/<target>, with its bytes.
std::vector<std::pair<std::string, std::string>> corpus(const std::string& target) {
  const std::filesystem::path folder =
      std::filesystem::path(source_dir()) / "tests/fuzz/corpus" / target;
  std::vector<std::pair<std::string, std::string>> inputs;
  if (!std::filesystem::is_directory(folder)) {
    ADD_FAILURE() << "no corpus folder " << folder;
    return inputs;
  }
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    inputs.emplace_back(entry.path().filename().string(), bytes.str());
  }
  return inputs;
}

TEST(PipelineCorpus, EveryInputLoadsOrFailsCleanly) {
  int inputs = 0;
  int loaded = 0;
  for (const auto& [name, content] : corpus("pipeline_loader")) {
    std::vector<std::string> overrides;
    const std::string_view text = fuzz::split_fuzz_input(content, overrides);
    SCOPED_TRACE(name);
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

TEST(KernelFileCorpus, EveryInputLoadsOrFailsCleanly) {
  int inputs = 0;
  int loaded = 0;
  for (const auto& [name, text] : corpus("kernel_file")) {
    SCOPED_TRACE(name);
    ++inputs;
    config::KernelLibrary library;
    try {
      library.load_string(text, "fuzz.yaml");
      ++loaded;
      for (const auto& kernel : library.names()) {
        try {
          library.get(kernel);
        } catch (const config::ConfigError&) {
        }
      }
    } catch (const config::ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("fuzz.yaml", 0), 0u) << e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "unexpected exception: " << e.what();
    }
  }
  EXPECT_GE(inputs, 10);
  EXPECT_GE(loaded, 2);  // the shipped library and the small one
}

TEST(ReportReaderCorpus, EveryInputReadsOrFailsCleanly) {
  std::FILE* sink = std::fopen("/dev/null", "w");
  ASSERT_NE(sink, nullptr);
  int inputs = 0;
  int read = 0;
  for (const auto& [name, text] : corpus("report_reader")) {
    SCOPED_TRACE(name);
    ++inputs;
    try {
      const auto report = app::parse_report_text(text, "fuzz.json");
      app::print_summary(sink, report, "fuzz.json");
      ++read;
    } catch (const util::ExitError& e) {
      EXPECT_EQ(e.code(), util::ExitCode::Input) << e.what();
      EXPECT_NE(std::string(e.what()).find("'fuzz.json'"), std::string::npos) << e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "unexpected exception: " << e.what();
    }
  }
  std::fclose(sink);
  EXPECT_GE(inputs, 10);
  EXPECT_GE(read, 1);  // the valid seed stays valid
}

}  // namespace
}  // namespace conveyor::testing
