// Shared pieces of the micro-benchmarks: frames, the kernels of the standard
// bank, OpenCV copies of them, and the FLOP counters every variant reports.
//
// Every comparison runs ours and OpenCV in the same binary and the same run,
// on the same frame, writing into output buffers allocated once before the
// timed loop. OpenCV variants report the FLOP count of *our* plan for the same
// work, so GFLOP/s compares like with like (it is work per second, not the
// arithmetic each library actually chose to do).
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "conveyor/conv/bank.hpp"
#include "conveyor/conv/image.hpp"
#include "conveyor/conv/kernel.hpp"

namespace conveyor::bench {

// Peak single-precision throughput of one core of the reference machine (AMD
// EPYC, Zen 3, AVX2): 2 FMA pipes x 8 float lanes x 2 FLOP x ~3.66 GHz. The
// "peak" counter divides by this times the thread count; change it for
// another CPU.
inline constexpr double kPeakGflopsPerCore = 117.0;

// Long enough for a stable median on a shared machine, short enough for a
// complete run with repetitions in a few minutes.
inline constexpr double kMinTime = 0.3;
inline constexpr double kWarmUp = 0.05;

struct Frame {
  cv::Mat mat;  // owns the pixels: gray, CV_8U or CV_32F, values 0..255
  conv::ImageView view;
  conv::InputShape shape;
};

// A reproducible random frame (fixed seed).
Frame make_frame(int width, int height, conv::PixelType type);

// A named filter with the border used throughout the benchmarks (reflect_101).
conv::Filter make_filter(const std::string& name, conv::Kernel kernel,
                         conv::Border border = conv::Border::Reflect);

// sobel_x 3, sobel_y 3, laplacian 3 (4-neighbour), gaussian 5 (sigma 0 ->
// OpenCV's default), sharpen 3, box 7 (normalised).
std::vector<conv::Filter> standard_bank();

// Dense random weights: not separable, no zero taps (fixed seed per size).
conv::Kernel dense_kernel(int size);

// The kernel as a CV_32F matrix for cv::filter2D.
cv::Mat to_mat(const conv::Kernel& kernel);

// 2 x multiply-adds of one frame, as the plan counts them.
double flops_per_frame(const conv::BankPlan& plan);

// Sets the GFLOP/s and fraction-of-peak counters (rates over the measured time).
void set_flop_counters(benchmark::State& state, double flops, int threads);

// Registers a benchmark with the settings every variant shares: real time (the
// work may run on other threads), fixed minimum time and warm-up, milliseconds.
benchmark::internal::Benchmark* add(const std::string& name,
                                    std::function<void(benchmark::State&)> body);

// Each benchmark file registers its group of benchmarks by name, at static
// initialisation, so a new file (globbed by bench/CMakeLists.txt) is all a new
// benchmark needs:
//   [[maybe_unused]] const bool kRegistered = register_group("pool", add_pool_benchmarks);
bool register_group(const std::string& name, void (*add_benchmarks)());

// Adds every registered group's benchmarks, in name order (bench_main.cpp).
void add_registered_groups();

}  // namespace conveyor::bench
