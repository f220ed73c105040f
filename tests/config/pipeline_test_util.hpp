// Helpers for the pipeline loader tests: a fixed kernel library and loading
// YAML text under a known file name, so messages can be matched exactly.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conveyor/config/pipeline_loader.hpp"

namespace conveyor::testing {

inline constexpr const char* kTestFile = "test.yaml";

// tests/config/data/test_kernels.yaml: identity, sobel_x, sobel_y, big31, box, gaussian.
const config::KernelLibrary& test_library();
std::string config_data(const std::string& name);  // path of tests/config/data/<name>

config::PipelineSpec load(const std::string& yaml, const std::vector<std::string>& overrides = {});
// The error message of loading `yaml`; fails the test when it loads.
std::string load_error(const std::string& yaml, const std::vector<std::string>& overrides = {});

// A minimal valid pipeline with `extra` appended (top-level keys).
std::string minimal(const std::string& extra = "");

}  // namespace conveyor::testing

// "test.yaml:<line>:" is in the message, plus every fragment.
#define EXPECT_ERROR_AT(message, line, ...)                                                   \
  do {                                                                                        \
    const std::string conveyor_message_ = (message);                                          \
    EXPECT_NE(conveyor_message_.find(std::string("test.yaml:") + std::to_string(line) + ":"), \
              std::string::npos)                                                              \
        << conveyor_message_;                                                                 \
    for (const char* fragment : {__VA_ARGS__})                                                \
      EXPECT_NE(conveyor_message_.find(fragment), std::string::npos)                          \
          << "missing '" << fragment << "' in: " << conveyor_message_;                        \
  } while (false)
