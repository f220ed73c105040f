// libFuzzer target: any bytes as a kernel library file. The reader may accept
// the text or throw config::ConfigError naming the file; anything else (a crash,
// a hang, memory growing without end, another exception, a sanitizer report)
// is a bug. Seeds: tests/fuzz/corpus/kernel_file (see CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "conveyor/config/errors.hpp"
#include "conveyor/config/kernel_library.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  conveyor::config::KernelLibrary library;
  try {
    library.load_string(text, "fuzz.yaml");
    for (const auto& name : library.names()) {
      try {
        library.get(name);
      } catch (const conveyor::config::ConfigError&) {
      }
    }
  } catch (const conveyor::config::ConfigError&) {
  }
  return 0;
}
