// A latency series as counts in fixed log-spaced buckets, the same for every
// run, so that the histograms of several runs merge exactly by adding their
// counts bucket by bucket (docs/metrics.md, "Histograms").
//
//   bucket 0:         under 1 µs (0, and anything not a number)
//   bucket i, 1..360: [10^((i-1)/40), 10^(i/40)) µs: 40 buckets per decade,
//                     each 5.9 % wide, from 1 µs to 1000 s
//   bucket 361:       1000 s and longer
//
// The report stores it sparsely: only the buckets that hold samples.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace conveyor::metrics {

class LatencyHistogram {
 public:
  static constexpr double kLowestMs = 0.001;    // 1 µs
  static constexpr double kHighestMs = 1.0e6;   // 1000 s
  static constexpr int kBucketsPerDecade = 40;  // buckets 5.9 % wide
  static constexpr int kDecades = 9;
  static constexpr int kBucketCount = kBucketsPerDecade * kDecades + 2;  // + under, + over

  // The bucket of a sample in milliseconds.
  static int bucket_of(double ms);
  // The smallest value of a bucket in milliseconds (0 for the underflow bucket).
  static double lower_ms(int bucket);

  void add(double ms) { add_count(bucket_of(ms), 1); }
  // Adds every count of `other`: the histogram of both runs' samples.
  void merge(const LatencyHistogram& other);
  std::uint64_t count() const { return total_; }
  std::uint64_t count_in(int bucket) const;

  // {"buckets_per_decade": 40, "lowest_ms": 0.001, "highest_ms": 1e6,
  //  "counts": [[bucket, count], ...]} with the non-empty buckets in order.
  nlohmann::json to_json() const;
  // Reads to_json()'s form; throws std::invalid_argument for another bucket
  // layout or a malformed object.
  static LatencyHistogram from_json(const nlohmann::json& json);

  bool operator==(const LatencyHistogram& other) const {
    return total_ == other.total_ && counts_ == other.counts_;
  }

 private:
  void add_count(int bucket, std::uint64_t count);

  std::vector<std::uint64_t> counts_;  // dense, kBucketCount once anything is added
  std::uint64_t total_ = 0;
};

}  // namespace conveyor::metrics
