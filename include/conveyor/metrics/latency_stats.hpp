// Summary statistics of a series of durations (milliseconds).
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

namespace conveyor::metrics {

struct Summary {
  std::size_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, min = 0;
};

// Nearest-rank percentile of sorted values: the smallest value with at least
// q of the samples at or below it (q in [0, 1]). Empty input gives 0.
double percentile_sorted(const std::vector<double>& sorted, double q);

// Summary of samples in any order.
Summary summarize(std::vector<double> samples);

// The last `capacity` samples, for the live overlay.
class SlidingWindow {
 public:
  explicit SlidingWindow(std::size_t capacity = 120) : capacity_(capacity) {}
  void add(double value);
  Summary summary() const;
  double last() const { return values_.empty() ? 0.0 : values_.back(); }

 private:
  std::size_t capacity_;
  std::deque<double> values_;
};

}  // namespace conveyor::metrics
