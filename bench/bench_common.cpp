#include "bench_common.hpp"

#include <functional>
#include <map>
#include <random>

#include "conveyor/conv/kernel_factory.hpp"

namespace conveyor::bench {

Frame make_frame(int width, int height, conv::PixelType type) {
  Frame frame;
  const int cv_type = type == conv::PixelType::U8 ? CV_8UC1 : CV_32FC1;
  frame.mat.create(height, width, cv_type);
  cv::RNG rng(20240601);
  rng.fill(frame.mat, cv::RNG::UNIFORM, 0, 256);
  frame.view.data = frame.mat.data;
  frame.view.width = width;
  frame.view.height = height;
  frame.view.channels = 1;
  frame.view.type = type;
  frame.view.stride_bytes = frame.mat.step[0];
  frame.shape = {width, height, 1, type};
  return frame;
}

conv::Filter make_filter(const std::string& name, conv::Kernel kernel, conv::Border border) {
  conv::Filter filter;
  filter.name = name;
  filter.kernel = std::move(kernel);
  filter.border = border;
  return filter;
}

std::vector<conv::Filter> standard_bank() {
  using conv::make_kernel;
  return {
      make_filter("sobel_x", conv::sobel_kernel(1, 0, 3)),
      make_filter("sobel_y", conv::sobel_kernel(0, 1, 3)),
      make_filter("laplacian", make_kernel({{0, 1, 0}, {1, -4, 1}, {0, 1, 0}})),
      make_filter("gaussian5", conv::gaussian_kernel(5, 0.0)),
      make_filter("sharpen", make_kernel({{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}})),
      make_filter("box7", conv::box_kernel(7)),
  };
}

conv::Kernel dense_kernel(int size) {
  std::mt19937 rng(static_cast<unsigned>(1000 + size));
  std::uniform_real_distribution<float> weight(0.05f, 1.0f);  // never zero: every tap counts
  std::bernoulli_distribution negative(0.5);
  conv::Kernel kernel;
  kernel.name = "dense" + std::to_string(size);
  kernel.width = size;
  kernel.height = size;
  kernel.weights.resize(static_cast<std::size_t>(size) * size);
  for (float& w : kernel.weights) w = negative(rng) ? -weight(rng) : weight(rng);
  return kernel;
}

cv::Mat to_mat(const conv::Kernel& kernel) {
  return cv::Mat(kernel.height, kernel.width, CV_32F, const_cast<float*>(kernel.weights.data()))
      .clone();
}

double flops_per_frame(const conv::BankPlan& plan) {
  return 2.0 * plan.info().macs_per_frame;
}

void set_flop_counters(benchmark::State& state, double flops, int threads) {
  using benchmark::Counter;
  state.counters["GFLOPs"] = Counter(flops * 1e-9, Counter::kIsIterationInvariantRate);
  state.counters["peak"] =
      Counter(flops * 1e-9 / (kPeakGflopsPerCore * threads), Counter::kIsIterationInvariantRate);
  state.counters["threads"] = threads;
}

benchmark::internal::Benchmark* add(const std::string& name,
                                    std::function<void(benchmark::State&)> body) {
  return benchmark::RegisterBenchmark(name.c_str(), std::move(body))
      ->UseRealTime()
      ->MinTime(kMinTime)
      ->MinWarmUpTime(kWarmUp)
      ->Unit(benchmark::kMillisecond);
}

namespace {

// A function-local static: groups register from other files' static
// initialisers, whose order relative to this file's is unspecified.
std::map<std::string, void (*)()>& groups() {
  static std::map<std::string, void (*)()> instance;
  return instance;
}

}  // namespace

bool register_group(const std::string& name, void (*add_benchmarks)()) {
  return groups().emplace(name, add_benchmarks).second;
}

void add_registered_groups() {
  for (const auto& [name, add_benchmarks] : groups()) add_benchmarks();
}

}  // namespace conveyor::bench
