// Shared by the CLI tests: run the built `conveyor` in a fresh folder.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/paths.hpp"
#include "support/run_process.hpp"

namespace conveyor::testing {

class CliTest : public ::testing::Test {
 protected:
  // A fresh folder per test, removed afterwards.
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "conveyor-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << pattern;
    dir = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  // Runs in the test's folder with the shipped kernel library (CONVEYOR_KERNELS
  // unset, so a developer's own setting cannot change the results).
  ProcessResult conveyor(const std::vector<std::string>& args) const {
    ProcessOptions options;
    options.unset_env = {"CONVEYOR_KERNELS"};
    options.working_directory = dir;
    return run_conveyor(args, options);
  }

  // As conveyor(), but file permissions hold even when the tests run as root:
  // the child runs without the capabilities that let root read and write
  // past them (setpriv, util-linux; installed by scripts/install-deps.sh).
  ProcessResult conveyor_bound_by_permissions(const std::vector<std::string>& args) const {
    if (::geteuid() != 0) return conveyor(args);
    std::vector<std::string> argv{"setpriv", "--bounding-set",
                                  "-dac_override,-dac_read_search,-fowner", "--",
                                  conveyor_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions options;
    options.unset_env = {"CONVEYOR_KERNELS"};
    options.working_directory = dir;
    options.timeout = std::chrono::seconds(120);
    return run_process(argv, options);
  }

  // Writes a file in the test's folder and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const std::filesystem::path path = dir / name;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    return path;
  }

  // The whole content of a file in the test's folder.
  std::string read(const std::string& name) const {
    std::ifstream in(dir / name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::filesystem::path dir;
};

// "exit 3, stderr: ..." for assertion messages.
inline std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\n--- stdout:\n" + result.out +
         "--- stderr:\n" + result.err;
}

// Asserts the exit code and that stderr holds one "conveyor: error: " line
// containing every fragment.
inline void expect_error(const ProcessResult& result, int code,
                         const std::vector<std::string>& fragments) {
  EXPECT_EQ(result.exit_code, code) << describe(result);
  EXPECT_EQ(result.err.rfind("conveyor: error: ", 0), 0u) << describe(result);
  for (const auto& fragment : fragments) {
    EXPECT_NE(result.err.find(fragment), std::string::npos) << "missing '" << fragment << "' in\n"
                                                            << describe(result);
  }
}

}  // namespace conveyor::testing
