#include "conveyor/metrics/latency_samples.hpp"

#include <algorithm>
#include <cmath>

namespace conveyor::metrics {
namespace {

// Bin 0 holds values under 1 µs; bin i ≥ 1 covers
// [kLowest·2^((i-1)/k), kLowest·2^(i/k)) with k = kBinsPerDoubling.
constexpr double kLowestMs = 0.001;
constexpr int kBinsPerDoubling = 512;  // bins 0.135 % wide
constexpr int kDoublings = 34;         // up to 2^34 µs, about 4.6 hours
constexpr std::size_t kBinCount = 1 + std::size_t{kBinsPerDoubling} * kDoublings;

std::size_t bin_of(double ms) {
  if (!(ms >= kLowestMs)) return 0;
  const double position = std::log2(ms / kLowestMs) * kBinsPerDoubling;
  return std::min(kBinCount - 1, 1 + static_cast<std::size_t>(position));
}

// The geometric middle of a bin: at most half a bin (0.07 %) from any value in it.
double middle_of(std::size_t bin) {
  if (bin == 0) return 0.0;
  return kLowestMs * std::exp2((static_cast<double>(bin) - 0.5) / kBinsPerDoubling);
}

}  // namespace

void LatencySamples::add(double ms) {
  min_ = count_ == 0 ? ms : std::min(min_, ms);
  max_ = count_ == 0 ? ms : std::max(max_, ms);
  sum_ += ms;
  ++count_;
  histogram_.add(ms);
  if (exact() && values_.size() < cap_) {
    values_.push_back(ms);
    return;
  }
  if (exact()) move_to_bins();
  ++bins_[bin_of(ms)];
}

void LatencySamples::move_to_bins() {
  bins_.assign(kBinCount, 0);
  for (const double value : values_) ++bins_[bin_of(value)];
  std::vector<double>().swap(values_);  // give the memory back
}

double LatencySamples::percentile(double q) const {
  // Nearest rank, as percentile_sorted(): the rank-th smallest sample.
  const double rank = std::max(1.0, std::ceil(q * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t bin = 0; bin < bins_.size(); ++bin) {
    seen += bins_[bin];
    if (static_cast<double>(seen) < rank) continue;
    // The last bin also holds everything longer: its only known bound is the max.
    return bin + 1 == kBinCount ? max_ : std::clamp(middle_of(bin), min_, max_);
  }
  return max_;
}

Summary LatencySamples::summary() const {
  if (exact()) return summarize(values_);
  Summary s;
  s.count = count_;
  s.mean = sum_ / static_cast<double>(count_);
  s.min = min_;
  s.max = max_;
  s.p50 = percentile(0.50);
  s.p90 = percentile(0.90);
  s.p99 = percentile(0.99);
  s.p999 = percentile(0.999);
  return s;
}

}  // namespace conveyor::metrics
