// 4. Pooling (the `pool` stage's compute, src/stages/pool_maps.cpp) on one
// 720p map: the direct strided passes it keeps, against OpenCV's dilate (max)
// or boxFilter (average) on a padded copy followed by subsampling, 2x2 and 3x3
// windows at stride 2, f32 and u8, on 1 and 2 threads. Beside them, the
// convolution bank a CNN layer pools: eight 3x3 feature detectors on the same
// frame, so a pool figure can be quoted as a fraction of the bank's time.
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "../src/stages/pool_maps.hpp"
#include "bench_common.hpp"

namespace conveyor::bench {
namespace {

using stages::PoolOp;
using stages::PoolWindow;

int to_cv_border(conv::Border border) {
  switch (border) {
    case conv::Border::Zero:
      return cv::BORDER_CONSTANT;
    case conv::Border::Replicate:
      return cv::BORDER_REPLICATE;
    case conv::Border::Reflect:
      return cv::BORDER_REFLECT_101;
    case conv::Border::Wrap:
      return cv::BORDER_WRAP;
    case conv::Border::Valid:
      break;
  }
  return -1;
}

// The OpenCV candidate: pad by the engine's rule (copyMakeBorder: `valid`
// pads nothing, `wrap` is BORDER_WRAP), dilate or box-sum every position with
// the window at its top-left corner, then keep every stride-th one.
cv::Mat opencv_pool(const cv::Mat& input, const PoolWindow& window) {
  const conv::MapSize out = stages::pool_output_size(window, input.cols, input.rows);
  const bool valid = window.border == conv::Border::Valid;
  const int ax = valid ? 0 : (window.size_x - 1) / 2;
  const int ay = valid ? 0 : (window.size_y - 1) / 2;
  const int span_x = (out.width - 1) * window.stride_x + window.size_x;
  const int span_y = (out.height - 1) * window.stride_y + window.size_y;
  cv::Mat padded = input;
  if (!valid) {
    cv::copyMakeBorder(input, padded, ay, std::max(0, span_y - ay - input.rows), ax,
                       std::max(0, span_x - ax - input.cols), to_cv_border(window.border));
  }
  const cv::Size size(window.size_x, window.size_y);
  cv::Mat full;
  if (window.op == PoolOp::Max) {
    cv::dilate(padded, full, cv::getStructuringElement(cv::MORPH_RECT, size), cv::Point(0, 0));
  } else {
    cv::boxFilter(padded, full, CV_32F, size, cv::Point(0, 0), false);  // exact sums for u8
  }
  cv::Mat result(out.height, out.width, input.type());
  const float area = static_cast<float>(window.size_x * window.size_y);
  const int channels = input.channels();
  for (int oy = 0; oy < out.height; ++oy) {
    const int step = window.stride_x * channels;
    if (input.depth() == CV_8U && window.op == PoolOp::Max) {
      const auto* src = full.ptr<std::uint8_t>(oy * window.stride_y);
      auto* dst = result.ptr<std::uint8_t>(oy);
      for (int ox = 0; ox < out.width; ++ox) {
        for (int c = 0; c < channels; ++c) dst[ox * channels + c] = src[ox * step + c];
      }
    } else if (input.depth() == CV_8U) {
      const float* src = full.ptr<float>(oy * window.stride_y);
      auto* dst = result.ptr<std::uint8_t>(oy);
      const int whole = window.size_x * window.size_y;
      for (int ox = 0; ox < out.width; ++ox) {
        for (int c = 0; c < channels; ++c) {
          const int sum = static_cast<int>(src[ox * step + c]);
          dst[ox * channels + c] = static_cast<std::uint8_t>((sum + whole / 2) / whole);
        }
      }
    } else {
      const float* src = full.ptr<float>(oy * window.stride_y);
      float* dst = result.ptr<float>(oy);
      const float scale = window.op == PoolOp::Max ? 1.0f : 1.0f / area;
      for (int ox = 0; ox < out.width; ++ox) {
        for (int c = 0; c < channels; ++c) dst[ox * channels + c] = src[ox * step + c] * scale;
      }
    }
  }
  return result;
}

void direct_pool(benchmark::State& state, const Frame& frame, PoolWindow window, int threads) {
  tbb::task_arena arena(threads);
  for (auto _ : state) {
    arena.execute([&] {
      cv::Mat out = stages::pool_map(frame.mat, window);
      benchmark::DoNotOptimize(out.data);
    });
    benchmark::ClobberMemory();
  }
}

void opencv_pool_bench(benchmark::State& state, const Frame& frame, PoolWindow window,
                       int threads) {
  // Same cells as the kept implementation, or the figure compares nothing.
  const cv::Mat mine = stages::pool_map(frame.mat, window);
  const double gap = cv::norm(opencv_pool(frame.mat, window), mine, cv::NORM_INF);
  if (gap > (window.op == PoolOp::Max || frame.mat.depth() == CV_8U ? 0.0 : 1e-3)) {
    state.SkipWithError(("opencv candidate differs by " + std::to_string(gap)).c_str());
    return;
  }
  cv::setNumThreads(threads);
  for (auto _ : state) {
    cv::Mat out = opencv_pool(frame.mat, window);
    benchmark::DoNotOptimize(out.data);
    benchmark::ClobberMemory();
  }
}

// Eight distinct 3x3 feature detectors, as a CNN layer's bank.
std::vector<conv::Filter> detector_bank() {
  using conv::make_kernel;
  return {
      make_filter("sobel_x", make_kernel({{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}})),
      make_filter("sobel_y", make_kernel({{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}})),
      make_filter("prewitt_x", make_kernel({{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}})),
      make_filter("prewitt_y", make_kernel({{-1, -1, -1}, {0, 0, 0}, {1, 1, 1}})),
      make_filter("laplacian", make_kernel({{0, 1, 0}, {1, -4, 1}, {0, 1, 0}})),
      make_filter("sharpen", make_kernel({{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}})),
      make_filter("emboss", make_kernel({{-2, -1, 0}, {-1, 1, 1}, {0, 1, 2}})),
      make_filter("diagonal", make_kernel({{2, 1, 0}, {1, 0, -1}, {0, -1, -2}})),
  };
}

void bank8(benchmark::State& state, const Frame& frame, int threads) {
  const conv::BankPlan plan(detector_bank(), frame.shape, {threads, 0, 0});
  std::vector<conv::FeatureMap> maps;
  plan.run(frame.view, maps);
  for (auto _ : state) {
    plan.run(frame.view, maps);
    benchmark::DoNotOptimize(maps.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, flops_per_frame(plan), threads);
}

void add_pool_benchmarks() {
  static const Frame frames[] = {make_frame(1280, 720, conv::PixelType::F32),
                                 make_frame(1280, 720, conv::PixelType::U8)};
  for (const Frame& frame : frames) {
    const std::string type = frame.mat.depth() == CV_8U ? "u8" : "f32";
    for (int threads : {1, 2}) {
      const std::string t = "/t" + std::to_string(threads) + "/";
      for (int size : {2, 3}) {
        for (PoolOp op : {PoolOp::Max, PoolOp::Average}) {
          const PoolWindow window{op, size, size, 2, 2, conv::Border::Valid};
          const std::string group = "pool/1280x720/" + type + "/" +
                                    (op == PoolOp::Max ? "max" : "avg") + std::to_string(size) +
                                    "s2" + t;
          add(group + "ours", [&frame, window, threads](benchmark::State& state) {
            direct_pool(state, frame, window, threads);
          });
          add(group + "opencv", [&frame, window, threads](benchmark::State& state) {
            opencv_pool_bench(state, frame, window, threads);
          });
        }
      }
      add("bank8x3/1280x720/" + type + t + "ours",
          [&frame, threads](benchmark::State& state) { bank8(state, frame, threads); });
    }
  }
}

[[maybe_unused]] const bool kRegistered = register_group("pool", add_pool_benchmarks);

}  // namespace
}  // namespace conveyor::bench
