#include "pipeline_test_util.hpp"

#include "support/paths.hpp"

namespace conveyor::testing {

std::string config_data(const std::string& name) {
  return std::string(source_dir()) + "/tests/config/data/" + name;
}

const config::KernelLibrary& test_library() {
  static const config::KernelLibrary library = [] {
    config::KernelLibrary lib;
    lib.load_file(config_data("test_kernels.yaml"));
    return lib;
  }();
  return library;
}

config::PipelineSpec load(const std::string& yaml, const std::vector<std::string>& overrides) {
  return config::load_pipeline_from_string(yaml, kTestFile, overrides, &test_library());
}

std::string load_error(const std::string& yaml, const std::vector<std::string>& overrides) {
  try {
    load(yaml, overrides);
  } catch (const config::PipelineError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a PipelineError: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "loaded without error:\n" << yaml;
  return {};
}

std::string minimal(const std::string& extra) {
  return "source: {type: testpattern, width: 64, height: 48, frames: 3}\n"
         "stages:\n"
         "  - bank: [{name: gx, kernel: sobel_x}]\n"
         "sinks: [{type: null}]\n" +
         extra;
}

}  // namespace conveyor::testing
