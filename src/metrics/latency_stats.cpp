#include "conveyor/metrics/latency_stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace conveyor::metrics {

double percentile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const double rank = std::ceil(q * static_cast<double>(sorted.size()));
  const std::size_t index = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

Summary summarize(std::vector<double> samples) {
  Summary s;
  s.count = samples.size();
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(s.count);
  s.min = samples.front();
  s.max = samples.back();
  s.p50 = percentile_sorted(samples, 0.50);
  s.p90 = percentile_sorted(samples, 0.90);
  s.p99 = percentile_sorted(samples, 0.99);
  s.p999 = percentile_sorted(samples, 0.999);
  return s;
}

void SlidingWindow::add(double value) {
  values_.push_back(value);
  while (values_.size() > capacity_) values_.pop_front();
}

Summary SlidingWindow::summary() const {
  return summarize(std::vector<double>(values_.begin(), values_.end()));
}

}  // namespace conveyor::metrics
