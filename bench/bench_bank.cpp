// 1. The standard six-kernel bank producing six f32 maps (border reflect_101):
// ours with 1 and 2 threads against six cv::filter2D calls, once one after the
// other on one thread and once spread over 2 threads with cv::parallel_for_
// (one range per kernel). cv::filter2D itself is single-threaded in OpenCV 4.6.
#include <hwy/aligned_allocator.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#if defined(__SSE2__)
#include <immintrin.h>
#endif
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "bench_common.hpp"

namespace conveyor::bench {
namespace {

void ours_bank(benchmark::State& state, int width, int height, conv::PixelType type, int threads,
               conv::StreamStores stream = conv::StreamStores::Auto) {
  const Frame frame = make_frame(width, height, type);
  const conv::BankPlan plan(standard_bank(), frame.shape, {threads, 0, 0, stream});
  std::vector<conv::FeatureMap> maps;
  plan.run(frame.view, maps);  // the maps are allocated here, once
  for (auto _ : state) {
    plan.run(frame.view, maps);
    benchmark::DoNotOptimize(maps.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, flops_per_frame(plan), threads);
}

void opencv_bank(benchmark::State& state, int width, int height, conv::PixelType type,
                 int threads) {
  cv::setNumThreads(threads);
  const Frame frame = make_frame(width, height, type);
  const std::vector<conv::Filter> bank = standard_bank();
  std::vector<cv::Mat> kernels;
  std::vector<cv::Mat> maps(bank.size());
  for (std::size_t i = 0; i < bank.size(); ++i) {
    kernels.push_back(to_mat(bank[i].kernel));
    maps[i].create(height, width, CV_32F);  // filter2D reuses a matching destination
  }
  auto filter = [&](int i) {
    cv::filter2D(frame.mat, maps[static_cast<std::size_t>(i)], CV_32F,
                 kernels[static_cast<std::size_t>(i)], cv::Point(-1, -1), 0,
                 cv::BORDER_REFLECT_101);
  };
  const int count = static_cast<int>(bank.size());
  for (auto _ : state) {
    if (threads == 1) {
      for (int i = 0; i < count; ++i) filter(i);
    } else {
      cv::parallel_for_(
          cv::Range(0, count),
          [&](const cv::Range& range) {
            for (int i = range.start; i < range.end; ++i) filter(i);
          },
          count);
    }
    benchmark::DoNotOptimize(maps.data());
    benchmark::ClobberMemory();
  }
  const conv::BankPlan plan(bank, frame.shape, {1, 0, 0});  // only to count the same work
  set_flop_counters(state, flops_per_frame(plan), threads);
}

// The store floor: only writing six f32 maps of the frame's size, row by row
// over the threads, as the bank's output alone costs. No arithmetic, no input.
void write_floor(benchmark::State& state, int width, int height, int threads) {
  std::vector<std::vector<float>> maps(
      6, std::vector<float>(static_cast<std::size_t>(width) * height));
  tbb::task_arena arena(threads);
  float value = 0;
  for (auto _ : state) {
    value += 1;
    arena.execute([&] {
      tbb::parallel_for(0, height, [&](int y) {
        for (auto& map : maps) {
          float* row = map.data() + static_cast<std::size_t>(y) * width;
          std::fill(row, row + width, value);
        }
      });
    });
    benchmark::DoNotOptimize(maps.data());
    benchmark::ClobberMemory();
  }
}

#if defined(__SSE2__)
// The floor of the streamed bank: the same six maps written with non-temporal
// stores, as the bank writes maps this large, so every byte goes to memory.
// (The plain-store floor above keeps the 22 MB in this machine's 32 MB L3.)
// SSE2's 16-byte stream is in every x86-64 processor; wider ones fill the same
// write-combining buffers.
void stream_floor(benchmark::State& state, int width, int height, int threads) {
  const std::size_t size = static_cast<std::size_t>(width) * height;
  std::vector<hwy::AlignedFreeUniquePtr<float[]>> maps;
  for (int m = 0; m < 6; ++m) maps.push_back(hwy::AllocateAligned<float>(size));
  tbb::task_arena arena(threads);
  float value = 0;
  for (auto _ : state) {
    value += 1;
    const __m128 v = _mm_set1_ps(value);
    arena.execute([&] {
      tbb::parallel_for(0, height, [&](int y) {
        for (auto& map : maps) {
          float* row = map.get() + static_cast<std::size_t>(y) * width;
          for (int x = 0; x + 4 <= width; x += 4) _mm_stream_ps(row + x, v);
        }
        _mm_sfence();
      });
    });
    benchmark::DoNotOptimize(maps.data());
    benchmark::ClobberMemory();
  }
}
#endif

void add_bank_benchmarks() {
  const std::pair<int, int> sizes[] = {{1280, 720}, {1920, 1080}};
  for (auto [width, height] : sizes) {
    for (conv::PixelType type : {conv::PixelType::F32, conv::PixelType::U8}) {
      const std::string group = "bank6/" + std::to_string(width) + "x" + std::to_string(height) +
                                "/" + conv::to_string(type) + "/";
      for (int threads : {1, 2}) {
        const std::string t = "t" + std::to_string(threads) + "/";
        add(group + t + "ours",
            [=](benchmark::State& state) { ours_bank(state, width, height, type, threads); });
        // The same with plain stores: the maps (22 MB at 720p) then stay in
        // this machine's 32 MB L3 between iterations, as a pipeline's do not.
        add(group + t + "ours_cached", [=](benchmark::State& state) {
          ours_bank(state, width, height, type, threads, conv::StreamStores::Off);
        });
        add(group + t + (threads == 1 ? "opencv" : "opencv_parallel"),
            [=](benchmark::State& state) { opencv_bank(state, width, height, type, threads); });
      }
    }
    for (int threads : {1, 2}) {
      add("floor/write6maps/" + std::to_string(width) + "x" + std::to_string(height) + "/t" +
              std::to_string(threads) + "/floor",
          [=](benchmark::State& state) { write_floor(state, width, height, threads); });
#if defined(__SSE2__)
      add("floor/stream6maps/" + std::to_string(width) + "x" + std::to_string(height) + "/t" +
              std::to_string(threads) + "/floor",
          [=](benchmark::State& state) { stream_floor(state, width, height, threads); });
#endif
    }
  }
}

[[maybe_unused]] const bool kRegistered = register_group("bank", add_bank_benchmarks);

}  // namespace
}  // namespace conveyor::bench
