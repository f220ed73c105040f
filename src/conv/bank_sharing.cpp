// Load sharing decided at plan time: which passes and filters of a bank can
// run in one loop and feed each loaded vector to several sums.
#include "conv/bank_sharing.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace conveyor::conv::detail {
namespace {

// Two unpaired direct filters reading the same padded rows at the same offsets.
bool shares_taps(const PlannedFilter& a, const PlannedFilter& b) {
  if (a.row_pass >= 0 || b.row_pass >= 0 || a.partner >= 0 || a.by_partner || b.by_partner ||
      a.taps.empty() || a.group != b.group || a.offset_x != b.offset_x ||
      a.offset_y != b.offset_y || a.filter.stride_x != b.filter.stride_x ||
      a.filter.stride_y != b.filter.stride_y || a.out.width != b.out.width ||
      a.out.height != b.out.height || a.taps.size() != b.taps.size()) {
    return false;
  }
  for (std::size_t t = 0; t < a.taps.size(); ++t) {
    if (a.taps[t].offset != b.taps[t].offset) return false;
  }
  return true;
}

// A mirrored pass whose terms are the first terms of another's, about the
// same centre: the two can run in one folded loop.
bool mirror_prefix(const RowPass& sub, const RowPass& all) {
  if (sub.mirror_center != all.mirror_center || sub.mirror_terms.size() > all.mirror_terms.size() ||
      all.mirror_terms.size() > kMaxSharedFoldedTerms) {
    return false;
  }
  for (std::size_t t = 0; t < sub.mirror_terms.size(); ++t) {
    if (sub.mirror_terms[t].distance != all.mirror_terms[t].distance) return false;
  }
  return true;
}

}  // namespace

void plan_mirror(RowPass& pass) {
  const std::vector<Tap>& taps = pass.taps;
  const std::size_t n = taps.size();
  if (n < 2 || n > 2 * kMaxFoldedTerms || (taps.front().offset + taps.back().offset) % 2 != 0) {
    return;
  }
  const std::ptrdiff_t center = (taps.front().offset + taps.back().offset) / 2;
  for (std::size_t t = 0; t < n / 2; ++t) {
    const Tap& low = taps[t];
    const Tap& high = taps[n - 1 - t];
    if (low.offset + high.offset != 2 * center || low.weight != high.weight) return;
  }
  // An odd count mirrors only with its middle tap on the centre ({0, 1, 4}
  // has a mirrored outer pair but not a mirrored middle).
  if (n % 2 == 1 && taps[n / 2].offset != center) return;
  pass.mirrored = true;
  pass.mirror_center = center;
  pass.mirror_terms.clear();
  if (n % 2 == 1) pass.mirror_terms.push_back({0, taps[n / 2].weight});
  for (std::size_t t = n / 2; t-- > 0;) {
    pass.mirror_terms.push_back({center - taps[t].offset, taps[t].weight});
  }
}

// Pairs row passes of one group where one's tap offsets are a subset of the
// other's (at most 9 taps: the fixed loops), largest passes first, so each
// pair loads only the larger pass's taps. Mirrored passes pair only with a
// mirrored partner whose terms are their innermost ones (mirror_prefix).
void pair_row_passes(std::vector<RowPass>& passes) {
  std::vector<std::size_t> order(passes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return passes[a].taps.size() > passes[b].taps.size();
  });
  for (std::size_t big : order) {
    RowPass& all = passes[big];
    if (all.by_partner || all.partner >= 0 || (!all.mirrored && all.taps.size() > 9)) continue;
    for (std::size_t small : order) {
      RowPass& sub = passes[small];
      if (small == big || sub.by_partner || sub.partner >= 0 || sub.group != all.group ||
          sub.taps.empty() || sub.taps.size() > all.taps.size() || sub.mirrored != all.mirrored ||
          (all.mirrored && !mirror_prefix(sub, all))) {
        continue;
      }
      std::vector<float> weights(all.taps.size(), 0.0f);
      std::uint32_t mask = 0;
      std::size_t found = 0;
      for (std::size_t t = 0; t < all.taps.size() && found < sub.taps.size(); ++t) {
        if (all.taps[t].offset == sub.taps[found].offset) {
          weights[t] = sub.taps[found].weight;
          mask |= 1u << t;
          ++found;
        }
      }
      if (found != sub.taps.size()) continue;
      all.partner = static_cast<int>(small);
      all.partner_weights = std::move(weights);
      all.partner_mask = mask;
      sub.by_partner = true;
      break;
    }
  }
}

void pair_shared_taps(std::vector<PlannedFilter>& planned) {
  for (std::size_t i = 0; i < planned.size(); ++i) {
    for (std::size_t j = i + 1; j < planned.size(); ++j) {
      if (shares_taps(planned[i], planned[j])) {
        planned[i].partner = static_cast<int>(j);
        planned[j].by_partner = true;
        break;
      }
    }
  }
}

bool taps_on_consecutive_rows(const PlannedFilter& f, int row_stride) {
  if (f.row_pass < 0 || f.filter.stride_y != 1) return false;
  for (std::size_t t = 0; t < f.taps.size(); ++t) {
    if (f.taps[t].offset != f.taps[0].offset + static_cast<std::ptrdiff_t>(t) * row_stride) {
      return false;
    }
  }
  return true;
}

// Merges the first row's taps (offsets o) and the second's (o + row_step) in
// offset order; an offset both have is loaded once. Taps are in row-major
// order, so the merge keeps each row's own order.
void plan_row_pairs(PlannedFilter& f, std::ptrdiff_t row_step) {
  f.pair_taps.clear();
  f.pair_runs.clear();
  if (f.row_pass >= 0 || f.filter.stride_y != 1 || f.partner >= 0 || f.by_partner ||
      f.taps.empty()) {
    return;
  }
  std::vector<PairTap> merged;
  std::vector<PairRows> rows;
  std::size_t first = 0;
  std::size_t second = 0;
  while (first < f.taps.size() || second < f.taps.size()) {
    const std::ptrdiff_t next_second =
        second < f.taps.size() ? f.taps[second].offset + row_step : PTRDIFF_MAX;
    const std::ptrdiff_t next_first = first < f.taps.size() ? f.taps[first].offset : PTRDIFF_MAX;
    if (next_first == next_second) {
      merged.push_back({next_first, f.taps[first++].weight, f.taps[second++].weight});
      rows.push_back(PairRows::Both);
    } else if (next_first < next_second) {
      merged.push_back({next_first, f.taps[first++].weight, 0.0f});
      rows.push_back(PairRows::First);
    } else {
      merged.push_back({next_second, 0.0f, f.taps[second++].weight});
      rows.push_back(PairRows::Second);
    }
  }
  if (std::find(rows.begin(), rows.end(), PairRows::Both) == rows.end()) return;
  for (std::size_t t = 0; t < merged.size(); ++t) {
    const int index = static_cast<int>(t);
    if (f.pair_runs.empty() || f.pair_runs.back().rows != rows[t]) {
      f.pair_runs.push_back({rows[t], index, index + 1});
    } else {
      f.pair_runs.back().end = index + 1;
    }
  }
  f.pair_taps = std::move(merged);
}

}  // namespace conveyor::conv::detail
