#include "conveyor/metrics/latency_histogram.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace conveyor::metrics {

int LatencyHistogram::bucket_of(double ms) {
  if (!(ms >= kLowestMs)) return 0;  // also NaN
  const double position = std::floor(std::log10(ms / kLowestMs) * kBucketsPerDecade);
  if (!(position < kBucketsPerDecade * kDecades)) return kBucketCount - 1;
  return 1 + static_cast<int>(position);
}

double LatencyHistogram::lower_ms(int bucket) {
  if (bucket <= 0) return 0.0;
  return kLowestMs * std::pow(10.0, static_cast<double>(bucket - 1) / kBucketsPerDecade);
}

void LatencyHistogram::add_count(int bucket, std::uint64_t count) {
  if (counts_.empty()) counts_.assign(kBucketCount, 0);
  counts_[static_cast<std::size_t>(bucket)] += count;
  total_ += count;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t b = 0; b < other.counts_.size(); ++b) {
    if (other.counts_[b] != 0) add_count(static_cast<int>(b), other.counts_[b]);
  }
}

std::uint64_t LatencyHistogram::count_in(int bucket) const {
  if (counts_.empty() || bucket < 0 || bucket >= kBucketCount) return 0;
  return counts_[static_cast<std::size_t>(bucket)];
}

nlohmann::json LatencyHistogram::to_json() const {
  nlohmann::json counts = nlohmann::json::array();
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    if (counts_[b] != 0) counts.push_back({b, counts_[b]});
  }
  return {{"buckets_per_decade", kBucketsPerDecade},
          {"lowest_ms", kLowestMs},
          {"highest_ms", kHighestMs},
          {"counts", counts}};
}

LatencyHistogram LatencyHistogram::from_json(const nlohmann::json& json) {
  const auto bad = [](const std::string& what) {
    return std::invalid_argument("latency histogram: " + what +
                                 "; expected buckets_per_decade 40 from 0.001 ms to 1e6 ms and "
                                 "counts [[bucket, count], ...] (docs/metrics.md)");
  };
  if (!json.is_object() || json.value("buckets_per_decade", 0) != kBucketsPerDecade ||
      json.value("lowest_ms", 0.0) != kLowestMs || json.value("highest_ms", 0.0) != kHighestMs) {
    throw bad("another bucket layout");
  }
  const auto counts = json.find("counts");
  if (counts == json.end() || !counts->is_array()) throw bad("no counts");
  LatencyHistogram histogram;
  for (const auto& pair : *counts) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number_unsigned() ||
        !pair[1].is_number_unsigned() || pair[0].get<std::uint64_t>() >= kBucketCount) {
      throw bad("a count that is not [bucket, count] with bucket 0.." +
                std::to_string(kBucketCount - 1));
    }
    histogram.add_count(pair[0].get<int>(), pair[1].get<std::uint64_t>());
  }
  return histogram;
}

}  // namespace conveyor::metrics
