// libFuzzer target: any bytes through the pipeline loader. The loader may
// accept the text or throw config::ConfigError (PipelineError); anything else
// (a crash, a hang, another exception, a sanitizer report) is a bug.
//
// Leading lines "--set key=value" are passed as overrides, so the corpus can
// exercise apply_overrides too. Run (clang build):
//   tests/fuzz/pipeline_loader_fuzz -max_total_time=60 <corpus copy>
//   tests/fuzz/corpus/pipeline_loader
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conveyor/config/pipeline_loader.hpp"
#include "fuzz_input.hpp"

namespace {

const conveyor::config::KernelLibrary& library() {
  static const conveyor::config::KernelLibrary instance = [] {
    try {
      return conveyor::config::KernelLibrary::load_default();
    } catch (const conveyor::config::ConfigError&) {
      return conveyor::config::KernelLibrary{};  // still fuzzes everything but kernel names
    }
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> overrides;
  const std::string_view text = conveyor::fuzz::split_fuzz_input(
      std::string_view(reinterpret_cast<const char*>(data), size), overrides);
  try {
    const auto spec =
        conveyor::config::load_pipeline_from_string(text, "fuzz.yaml", overrides, &library());
    for (const int side : {1, 7, 640}) {
      try {
        conveyor::config::check_geometry(spec, side, side);
      } catch (const conveyor::config::ConfigError&) {
      }
    }
  } catch (const conveyor::config::ConfigError&) {
  }
  return 0;
}
