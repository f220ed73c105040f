// libFuzzer target: any bytes as a run's JSON report, through the reader and
// the summary `conveyor report` prints. Either is fine: a summary, or
// util::ExitError (exit code 3) naming the report; anything else (a crash, a
// hang, another exception, a sanitizer report) is a bug.
// Seeds: tests/fuzz/corpus/report_reader (see CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "app/report_reader.hpp"
#include "conveyor/util/exit_codes.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::FILE* sink = std::fopen("/dev/null", "w");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto report = conveyor::app::parse_report_text(text, "fuzz.json");
    conveyor::app::print_summary(sink, report, "fuzz.json");
  } catch (const conveyor::util::ExitError&) {
  }
  return 0;
}
