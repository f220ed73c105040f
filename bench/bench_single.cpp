// 2. One kernel at a time on a 720p gray frame, sizes 3 to 13: dense random
// weights (not separable: every tap is work) and a Gaussian (separable: our
// plan runs it as a row and a column pass). Ours with 1 and 2 threads against
// cv::filter2D on one thread, filter2D on two horizontal halves with
// cv::parallel_for_ (the fair 2-thread comparison), and for the Gaussian also
// cv::sepFilter2D, OpenCV's own separable path.
//
// Note: filter2D switches to a DFT for large kernels on whole frames (area
// >= 50 for u8 -> f32, >= 130 for f32 -> f32), never on ROI halves.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "bench_common.hpp"
#include "conveyor/conv/kernel_factory.hpp"

namespace conveyor::bench {
namespace {

constexpr int kWidth = 1280;
constexpr int kHeight = 720;

conv::Kernel kernel_for(bool gaussian, int size) {
  return gaussian ? conv::gaussian_kernel(size, 0.0) : dense_kernel(size);
}

void ours_single(benchmark::State& state, bool gaussian, int size, conv::PixelType type,
                 int threads) {
  const Frame frame = make_frame(kWidth, kHeight, type);
  const conv::BankPlan plan({make_filter("k", kernel_for(gaussian, size))}, frame.shape,
                            {threads, 0, 0});
  std::vector<conv::FeatureMap> maps;
  plan.run(frame.view, maps);
  for (auto _ : state) {
    plan.run(frame.view, maps);
    benchmark::DoNotOptimize(maps.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, flops_per_frame(plan), threads);
}

enum class CvVariant { Whole, Halves, Separable };

void opencv_single(benchmark::State& state, bool gaussian, int size, conv::PixelType type,
                   CvVariant variant) {
  const int threads = variant == CvVariant::Halves ? 2 : 1;
  cv::setNumThreads(threads);
  const Frame frame = make_frame(kWidth, kHeight, type);
  const conv::Kernel kernel = kernel_for(gaussian, size);
  const cv::Mat kernel_2d = to_mat(kernel);
  const cv::Mat kernel_1d = cv::getGaussianKernel(size, 0.0, CV_32F);
  cv::Mat map(kHeight, kWidth, CV_32F);
  // Rows [y0, y1): the source ROI keeps its parent, so OpenCV reads the real
  // neighbouring rows across the cut and the result equals the whole-frame one.
  auto rows = [&](int y0, int y1) {
    cv::Mat dst = map.rowRange(y0, y1);
    cv::filter2D(frame.mat.rowRange(y0, y1), dst, CV_32F, kernel_2d, cv::Point(-1, -1), 0,
                 cv::BORDER_REFLECT_101);
  };
  for (auto _ : state) {
    switch (variant) {
      case CvVariant::Whole:
        cv::filter2D(frame.mat, map, CV_32F, kernel_2d, cv::Point(-1, -1), 0,
                     cv::BORDER_REFLECT_101);
        break;
      case CvVariant::Halves:
        cv::parallel_for_(
            cv::Range(0, 2),
            [&](const cv::Range& range) {
              for (int i = range.start; i < range.end; ++i)
                rows(i * kHeight / 2, (i + 1) * kHeight / 2);
            },
            2);
        break;
      case CvVariant::Separable:
        cv::sepFilter2D(frame.mat, map, CV_32F, kernel_1d, kernel_1d, cv::Point(-1, -1), 0,
                        cv::BORDER_REFLECT_101);
        break;
    }
    benchmark::DoNotOptimize(map.data);
    benchmark::ClobberMemory();
  }
  const conv::BankPlan plan({make_filter("k", kernel)}, frame.shape, {1, 0, 0});
  set_flop_counters(state, flops_per_frame(plan), threads);
}

void add_single_benchmarks() {
  for (bool gaussian : {false, true}) {
    for (int size : {3, 5, 7, 11, 13}) {
      for (conv::PixelType type : {conv::PixelType::F32, conv::PixelType::U8}) {
        const std::string group = std::string("single/") + (gaussian ? "gauss" : "dense") +
                                  std::to_string(size) + "/" + conv::to_string(type) + "/";
        for (int threads : {1, 2}) {
          add(group + "t" + std::to_string(threads) + "/ours",
              [=](benchmark::State& state) { ours_single(state, gaussian, size, type, threads); });
        }
        add(group + "t1/opencv", [=](benchmark::State& state) {
          opencv_single(state, gaussian, size, type, CvVariant::Whole);
        });
        add(group + "t2/opencv_halves", [=](benchmark::State& state) {
          opencv_single(state, gaussian, size, type, CvVariant::Halves);
        });
        if (gaussian) {
          add(group + "t1/opencv_sep", [=](benchmark::State& state) {
            opencv_single(state, gaussian, size, type, CvVariant::Separable);
          });
        }
      }
    }
  }
}

[[maybe_unused]] const bool kRegistered = register_group("single", add_single_benchmarks);

}  // namespace
}  // namespace conveyor::bench
