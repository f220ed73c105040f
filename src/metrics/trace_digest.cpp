#include "trace_digest.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "exact_rank.hpp"

namespace conveyor::metrics::detail {
namespace {

// Up to this many written frames, their latencies are kept and summarized as
// before; beyond it, p50 and p99 are selected exactly in further passes.
constexpr std::uint64_t kKeptLatencies = 1 << 20;

struct FirstPass {
  bool any = false;
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::uint64_t written = 0;
  double min = 0;
  double max = 0;
  TopBitsCount top;
  std::vector<double> kept;  // every written frame's latency, while there are few
  bool all_kept = true;
};

FirstPass first_pass(TraceSource& trace) {
  FirstPass pass;
  trace.for_each_row([&](const TraceRow& row) {
    pass.first = pass.any ? std::min(pass.first, row.sequence) : row.sequence;
    pass.last = pass.any ? std::max(pass.last, row.sequence) : row.sequence;
    pass.any = true;
    if (!row.written()) return;
    const double v = row.end_to_end_ms;
    pass.min = pass.written == 0 ? v : std::min(pass.min, v);
    pass.max = pass.written == 0 ? v : std::max(pass.max, v);
    ++pass.written;
    pass.top.add(v);
    if (pass.all_kept && pass.written > kKeptLatencies) {
      pass.all_kept = false;
      pass.kept = {};
    }
    if (pass.all_kept) pass.kept.push_back(v);
  });
  return pass;
}

// Nearest rank, as percentile_sorted(): 1-based.
std::uint64_t rank_of(double q, std::uint64_t count) {
  const double rank = std::ceil(q * static_cast<double>(count));
  return std::clamp<std::uint64_t>(rank < 1 ? 1 : static_cast<std::uint64_t>(rank), 1, count);
}

class Timeline {
 public:
  Timeline(const FirstPass& pass, std::size_t parts, int columns)
      : panel_{cv::Rect(0, 0, columns, 1),
               plot::nice_axis(static_cast<double>(pass.first), static_cast<double>(pass.last) + 1,
                               10),
               {}},
        width_(columns) {
    data_.x = panel_.x;
    data_.parts = parts;
    data_.any = pass.any;
    sums_.assign(static_cast<std::size_t>(columns) * parts, 0.0);
    data_.counts.assign(static_cast<std::size_t>(columns), 0);
    data_.peaks.assign(static_cast<std::size_t>(columns), 0.0);
    data_.drop_ticks.assign(static_cast<std::size_t>(columns) + 1, 0);
  }

  // Each frame covers the columns from its number to the next.
  void add(const TraceRow& row) {
    const double sequence = static_cast<double>(row.sequence);
    if (!row.written()) {
      ++data_.drops;
      const int x = std::clamp(panel_.px(sequence + 0.5), 0, width_);
      data_.drop_ticks[static_cast<std::size_t>(x)] = 1;
      return;
    }
    components(row, values_);
    const int c0 = std::clamp(panel_.px(sequence), 0, width_ - 1);
    const int c1 = std::clamp(panel_.px(sequence + 1), c0 + 1, width_);
    for (int c = c0; c < c1; ++c) {
      const auto i = static_cast<std::size_t>(c);
      for (std::size_t p = 0; p < data_.parts; ++p) sums_[i * data_.parts + p] += values_[p];
      data_.shared = data_.shared || data_.counts[i] > 0;
      ++data_.counts[i];
      data_.peaks[i] = std::max(data_.peaks[i], row.end_to_end_ms);
    }
  }

  TimelineColumns finish() {
    for (std::size_t i = 0; i < data_.counts.size(); ++i) {
      if (data_.counts[i] == 0) continue;
      for (std::size_t p = 0; p < data_.parts; ++p)
        sums_[i * data_.parts + p] /= static_cast<double>(data_.counts[i]);
    }
    data_.means = std::move(sums_);
    return std::move(data_);
  }

 private:
  plot::Panel panel_;
  int width_;
  TimelineColumns data_;
  std::vector<double> sums_;
  std::vector<double> values_;
};

// Far outliers would squeeze the bulk into a few bars: the range stops a
// little past p99 and the frames beyond are counted.
HistogramBins empty_bins(const Summary& s) {
  HistogramBins bins;
  const double cut = s.p99 + 3 * std::max(s.p99 - s.p50, 0.05 * s.p99);
  const double hi = std::min(s.max, cut);
  const double lo = s.min < 0.25 * hi ? 0.0 : s.min;
  bins.x = plot::nice_axis(lo, hi, 10);
  const double root = std::sqrt(static_cast<double>(s.count));
  const int count = std::clamp(static_cast<int>(2 * root), 10, 80);
  bins.width = (bins.x.hi - bins.x.lo) / count;
  bins.counts.assign(static_cast<std::size_t>(count), 0);
  return bins;
}

void add_to_bins(HistogramBins& bins, double v) {
  if (v > bins.x.hi) {
    ++bins.beyond;
    return;
  }
  const int last = static_cast<int>(bins.counts.size()) - 1;
  const double at = std::clamp((v - bins.x.lo) / bins.width, 0.0, static_cast<double>(last));
  ++bins.counts[static_cast<std::size_t>(at)];
}

}  // namespace

void components(const TraceRow& row, std::vector<double>& parts) {
  parts.clear();
  double sum = row.sink_ms;
  for (std::size_t s = 0; s < row.queue_ms.size(); ++s) {
    parts.push_back(row.queue_ms[s]);
    parts.push_back(row.compute_ms[s]);
    sum += row.queue_ms[s] + row.compute_ms[s];
  }
  parts.push_back(std::max(0.0, row.end_to_end_ms - sum));  // waiting for the sink
  parts.push_back(row.sink_ms);
}

TraceDigest digest_trace(TraceSource& trace, int columns) {
  FirstPass pass = first_pass(trace);
  TraceDigest digest;
  Timeline timeline(pass, 2 * trace.stage_names().size() + 2, columns);
  std::vector<RankSelector> selectors;
  if (!pass.all_kept) {
    for (const double q : {0.50, 0.99}) selectors.emplace_back(rank_of(q, pass.written), pass.top);
  }
  // The timeline, and the first refinement of the percentiles on the way.
  trace.for_each_row([&](const TraceRow& row) {
    timeline.add(row);
    if (row.written())
      for (auto& selector : selectors) selector.add(row.end_to_end_ms);
  });
  digest.timeline = timeline.finish();
  for (auto& selector : selectors) selector.finish_pass();
  while (std::any_of(selectors.begin(), selectors.end(), [](auto& s) { return !s.done(); })) {
    trace.for_each_row([&](const TraceRow& row) {
      if (row.written())
        for (auto& selector : selectors) selector.add(row.end_to_end_ms);
    });
    for (auto& selector : selectors) selector.finish_pass();
  }
  if (pass.all_kept) {
    digest.latency = summarize(pass.kept);
  } else {
    digest.latency.count = pass.written;
    digest.latency.min = pass.min;
    digest.latency.max = pass.max;
    digest.latency.p50 = selectors[0].value();
    digest.latency.p99 = selectors[1].value();
  }
  if (digest.latency.count == 0) return digest;
  digest.histogram = empty_bins(digest.latency);
  if (pass.all_kept) {
    for (const double v : pass.kept) add_to_bins(digest.histogram, v);
  } else {
    trace.for_each_row([&](const TraceRow& row) {
      if (row.written()) add_to_bins(digest.histogram, row.end_to_end_ms);
    });
  }
  return digest;
}

}  // namespace conveyor::metrics::detail
