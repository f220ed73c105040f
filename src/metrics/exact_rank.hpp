// Exact order statistics of a stream that can be read again, in bounded
// memory: the k-th smallest value found by radix selection over the values'
// ordered bit patterns, 16 bits per pass, or by sorting the few candidates left
// once they fit in memory. Internal to the metrics layer (the latency plot).
#pragma once

#include <cstdint>
#include <vector>

namespace conveyor::metrics::detail {

// Doubles as unsigned keys in the same order (finite values only).
std::uint64_t order_key(double value);

// Counts of the top 16 bits of the keys: the first pass of every selection.
class TopBitsCount {
 public:
  TopBitsCount() : counts_(1u << 16, 0) {}
  void add(double value) { ++counts_[order_key(value) >> 48]; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }

 private:
  std::vector<std::uint64_t> counts_;
};

class RankSelector {
 public:
  // The rank-th smallest (1-based) of the values counted in `first_pass`.
  RankSelector(std::uint64_t rank, const TopBitsCount& first_pass);
  bool done() const { return done_; }
  double value() const { return value_; }
  // One more pass: every value of the stream, then finish_pass().
  void add(double value);
  void finish_pass();

  // Candidates are sorted in memory once there are at most this many.
  static constexpr std::uint64_t kMaxCandidates = 1 << 20;

 private:
  void narrow(const std::vector<std::uint64_t>& counts);

  std::uint64_t rank_;    // within the values sharing the prefix
  std::uint64_t prefix_;  // the known top bits of the key
  int bits_ = 0;          // how many are known
  std::uint64_t matching_ = 0;
  bool done_ = false;
  double value_ = 0;
  std::vector<std::uint64_t> counts_;  // next 16 bits, while refining
  std::vector<double> candidates_;     // the values sharing the prefix, once few
};

}  // namespace conveyor::metrics::detail
