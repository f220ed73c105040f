// One latency series of a run (milliseconds) with memory bounded for runs of
// any length. Up to `exact_cap` samples every value is kept and the summary is
// exact (nearest-rank, as summarize()). Past the cap the values move into a
// histogram of log-spaced bins, 512 per doubling from 1 µs to about 4.6 hours
// (about 140 KB): count, mean, min and max stay exact; a percentile is the
// middle of its bin, within 0.07 % of the exact value.
//
// Every sample also goes into a LatencyHistogram of fixed buckets, the same
// for every run, which the report carries so that runs can be merged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "conveyor/metrics/latency_histogram.hpp"
#include "conveyor/metrics/latency_stats.hpp"

namespace conveyor::metrics {

class LatencySamples {
 public:
  // 2^18 values: 2 MB a series, 73 minutes of frames at 60 fps.
  static constexpr std::size_t kDefaultExactCap = std::size_t{1} << 18;

  explicit LatencySamples(std::size_t exact_cap = kDefaultExactCap) : cap_(exact_cap) {}

  void add(double ms);
  std::size_t count() const { return count_; }
  // True while every sample is kept, so the summary is exact.
  bool exact() const { return bins_.empty(); }
  Summary summary() const;
  const LatencyHistogram& histogram() const { return histogram_; }

 private:
  void move_to_bins();
  double percentile(double q) const;

  std::size_t cap_;
  std::vector<double> values_;       // every sample, until the cap
  std::vector<std::uint64_t> bins_;  // after the cap
  LatencyHistogram histogram_;       // every sample, for merging runs
  std::size_t count_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
};

}  // namespace conveyor::metrics
