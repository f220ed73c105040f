#include "exact_rank.hpp"

#include <algorithm>
#include <bit>

namespace conveyor::metrics::detail {

std::uint64_t order_key(double value) {
  const auto bits = std::bit_cast<std::uint64_t>(value);
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  return (bits & sign) != 0 ? ~bits : bits | sign;
}

namespace {

double from_key(std::uint64_t key) {
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  return std::bit_cast<double>((key & sign) != 0 ? key & ~sign : ~key);
}

}  // namespace

RankSelector::RankSelector(std::uint64_t rank, const TopBitsCount& first_pass)
    : rank_(rank), prefix_(0) {
  narrow(first_pass.counts());
}

// The bucket holding the rank-th value becomes the prefix.
void RankSelector::narrow(const std::vector<std::uint64_t>& counts) {
  std::uint64_t before = 0;
  std::size_t bucket = 0;
  while (bucket + 1 < counts.size() && before + counts[bucket] < rank_) before += counts[bucket++];
  rank_ -= before;
  prefix_ = (prefix_ << 16) | bucket;
  bits_ += 16;
  matching_ = counts[bucket];
  counts_.clear();
  if (bits_ == 64) {  // every key with this prefix is the same value
    done_ = true;
    value_ = from_key(prefix_);
    return;
  }
  if (matching_ <= kMaxCandidates) {
    candidates_.reserve(static_cast<std::size_t>(matching_));
  } else {
    counts_.assign(1u << 16, 0);
  }
}

void RankSelector::add(double value) {
  if (done_) return;
  const std::uint64_t key = order_key(value);
  if ((key >> (64 - bits_)) != prefix_) return;
  if (counts_.empty()) {
    candidates_.push_back(value);
  } else {
    ++counts_[(key >> (48 - bits_)) & 0xFFFF];
  }
}

void RankSelector::finish_pass() {
  if (done_) return;
  if (counts_.empty()) {
    if (candidates_.empty()) {  // the stream changed between passes: nothing better is known
      done_ = true;
      return;
    }
    const auto nth =
        candidates_.begin() +
        static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(rank_, candidates_.size()) - 1);
    std::nth_element(candidates_.begin(), nth, candidates_.end());
    value_ = *nth;
    done_ = true;
    candidates_ = {};
    return;
  }
  const std::vector<std::uint64_t> counts = std::move(counts_);
  narrow(counts);
}

}  // namespace conveyor::metrics::detail
