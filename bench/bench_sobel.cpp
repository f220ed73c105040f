// 3. Sobel gradient magnitude of a 720p u8 frame: ours fused (run_combined,
// magnitude of sobel_x and sobel_y, no intermediate maps) against OpenCV's
// usual recipe cv::Sobel(CV_32F) dx + cv::Sobel dy + cv::magnitude, on one
// thread and on two horizontal halves with cv::parallel_for_.
// The FLOP count is the plan's multiply-adds; the square roots are not counted.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "bench_common.hpp"
#include "conveyor/conv/combine.hpp"
#include "conveyor/conv/kernel_factory.hpp"

namespace conveyor::bench {
namespace {

constexpr int kWidth = 1280;
constexpr int kHeight = 720;

std::vector<conv::Filter> sobel_pair() {
  return {make_filter("gx", conv::sobel_kernel(1, 0, 3)),
          make_filter("gy", conv::sobel_kernel(0, 1, 3))};
}

void ours_magnitude(benchmark::State& state, int threads) {
  const Frame frame = make_frame(kWidth, kHeight, conv::PixelType::U8);
  const conv::BankPlan plan(sobel_pair(), frame.shape, {threads, 0, 0});
  const conv::Combine magnitude{conv::CombineOp::Magnitude, {}};
  conv::FeatureMap map;
  plan.run_combined(frame.view, magnitude, map);
  for (auto _ : state) {
    plan.run_combined(frame.view, magnitude, map);
    benchmark::DoNotOptimize(map.data.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, flops_per_frame(plan), threads);
}

void opencv_magnitude(benchmark::State& state, int threads) {
  cv::setNumThreads(threads);
  const Frame frame = make_frame(kWidth, kHeight, conv::PixelType::U8);
  cv::Mat gx(kHeight, kWidth, CV_32F);
  cv::Mat gy(kHeight, kWidth, CV_32F);
  cv::Mat magnitude(kHeight, kWidth, CV_32F);
  // Rows [y0, y1); ROIs keep their parent, so the halves read across the cut.
  auto rows = [&](int y0, int y1) {
    const cv::Mat src = frame.mat.rowRange(y0, y1);
    cv::Mat dx = gx.rowRange(y0, y1);
    cv::Mat dy = gy.rowRange(y0, y1);
    cv::Mat out = magnitude.rowRange(y0, y1);
    cv::Sobel(src, dx, CV_32F, 1, 0, 3, 1, 0, cv::BORDER_REFLECT_101);
    cv::Sobel(src, dy, CV_32F, 0, 1, 3, 1, 0, cv::BORDER_REFLECT_101);
    cv::magnitude(dx, dy, out);
  };
  for (auto _ : state) {
    if (threads == 1) {
      rows(0, kHeight);
    } else {
      cv::parallel_for_(
          cv::Range(0, threads),
          [&](const cv::Range& range) {
            for (int i = range.start; i < range.end; ++i) {
              rows(i * kHeight / threads, (i + 1) * kHeight / threads);
            }
          },
          threads);
    }
    benchmark::DoNotOptimize(magnitude.data);
    benchmark::ClobberMemory();
  }
  const conv::BankPlan plan(sobel_pair(), frame.shape, {1, 0, 0});
  set_flop_counters(state, flops_per_frame(plan), threads);
}

void add_sobel_benchmarks() {
  for (int threads : {1, 2}) {
    const std::string group = "sobel_magnitude/1280x720/u8/t" + std::to_string(threads) + "/";
    add(group + "ours", [=](benchmark::State& state) { ours_magnitude(state, threads); });
    add(group + (threads == 1 ? "opencv" : "opencv_halves"),
        [=](benchmark::State& state) { opencv_magnitude(state, threads); });
  }
}

[[maybe_unused]] const bool kRegistered = register_group("sobel", add_sobel_benchmarks);

}  // namespace
}  // namespace conveyor::bench
