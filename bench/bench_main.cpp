// The benchmark program: ours and OpenCV side by side in one run. The context
// block of the report records what the numbers depend on: the SIMD target the
// engine dispatched to, the peak used for the "peak" counter, and the load of
// the machine when the run started (it is shared; a high load skews times).
#include <cstdlib>
#include <opencv2/core.hpp>
#include <string>

#include "bench_common.hpp"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  using namespace conveyor;
  const bench::Frame frame = bench::make_frame(64, 64, conv::PixelType::F32);
  const conv::BankPlan probe(bench::standard_bank(), frame.shape);
  benchmark::AddCustomContext("conveyor_simd_target", probe.info().simd_target);
  benchmark::AddCustomContext("peak_gflops_per_core", std::to_string(bench::kPeakGflopsPerCore));
  benchmark::AddCustomContext("opencv_version", CV_VERSION);
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) == 3) {
    benchmark::AddCustomContext(
        "load_average_at_start",
        std::to_string(load[0]) + " " + std::to_string(load[1]) + " " + std::to_string(load[2]));
  }

  bench::add_registered_groups();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
