// The latency picture: stacked per-frame latency over time and a histogram of
// end-to-end latency (see latency_plot.hpp).
#include "conveyor/metrics/latency_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "conveyor/metrics/latency_stats.hpp"
#include "conveyor/pipeline/media_plugin.hpp"
#include "conveyor/util/temp_names.hpp"
#include "plot_canvas.hpp"

namespace conveyor::metrics {
namespace {

using namespace plot;

// Stage colours (BGR), one per stage; the queue wait is a lighter shade.
const cv::Scalar kPalette[] = {{180, 119, 31}, {14, 127, 255},  {44, 160, 44},  {189, 103, 148},
                               {75, 86, 140},  {194, 119, 227}, {207, 190, 23}, {34, 189, 188}};
const cv::Scalar kWaitColor(205, 205, 205);
const cv::Scalar kSinkColor(110, 110, 110);
const cv::Scalar kDropColor(40, 40, 214);
const cv::Scalar kMaxColor(20, 20, 20);

cv::Scalar lighter(const cv::Scalar& color) {
  return color * 0.45 + cv::Scalar::all(255) * 0.55;
}

std::string format(const char* pattern, double a, double b = 0, double c = 0) {
  char text[200];
  std::snprintf(text, sizeof text, pattern, a, b, c);
  return text;
}

// Where the time of one frame went, bottom to top of the stack.
std::vector<double> components(const TraceRow& row) {
  std::vector<double> parts;
  double sum = row.sink_ms;
  for (std::size_t s = 0; s < row.queue_ms.size(); ++s) {
    parts.push_back(row.queue_ms[s]);
    parts.push_back(row.compute_ms[s]);
    sum += row.queue_ms[s] + row.compute_ms[s];
  }
  parts.push_back(std::max(0.0, row.end_to_end_ms - sum));  // waiting for the sink
  parts.push_back(row.sink_ms);
  return parts;
}

std::vector<LegendItem> stack_legend(const Trace& trace) {
  std::vector<LegendItem> items;
  for (std::size_t s = 0; s < trace.stage_names.size(); ++s) {
    const cv::Scalar color = kPalette[s % std::size(kPalette)];
    items.push_back({trace.stage_names[s] + " queue", lighter(color)});
    items.push_back({trace.stage_names[s] + " compute", color});
  }
  items.push_back({"wait before sink", kWaitColor});
  items.push_back({"sink", kSinkColor});
  return items;
}

void no_data(cv::Mat& canvas, const cv::Rect& area) {
  cv::rectangle(canvas, area, kInk, 1);
  put_text(canvas, "no frames were written: nothing to plot",
           {area.x + area.width / 2, area.y + area.height / 2}, 0.7, kInk, 1, Align::Center);
}

// Top panel. Each frame covers the columns from its number to the next; a
// column holding several frames shows their mean stack and, as a line, the
// largest end-to-end latency among them.
// `region` holds the legend, then the panel.
void draw_timeline(cv::Mat& canvas, const Trace& trace, cv::Rect region) {
  cv::Rect area = region;  // the panel's final top is known once the legend is drawn
  std::vector<LegendItem> legend = stack_legend(trace);
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::int64_t drops = 0;
  bool any = false;
  for (const auto& row : trace.rows) {
    first = any ? std::min(first, row.sequence) : row.sequence;
    last = any ? std::max(last, row.sequence) : row.sequence;
    any = true;
    drops += row.written() ? 0 : 1;
  }
  Panel panel{area, nice_axis(static_cast<double>(first), static_cast<double>(last + 1), 10), {}};
  const std::size_t parts = legend.size();
  std::vector<std::vector<double>> sums(static_cast<std::size_t>(area.width),
                                        std::vector<double>(parts, 0.0));
  std::vector<int> counts(static_cast<std::size_t>(area.width), 0);
  std::vector<double> peaks(static_cast<std::size_t>(area.width), 0.0);
  bool shared = false;
  for (const auto& row : trace.rows) {
    if (!row.written()) continue;
    const auto values = components(row);
    const int c0 =
        std::clamp(panel.px(static_cast<double>(row.sequence)) - area.x, 0, area.width - 1);
    const int c1 =
        std::clamp(panel.px(static_cast<double>(row.sequence + 1)) - area.x, c0 + 1, area.width);
    for (int c = c0; c < c1; ++c) {
      const auto i = static_cast<std::size_t>(c);
      for (std::size_t p = 0; p < parts; ++p) sums[i][p] += values[p];
      shared = shared || counts[i] > 0;
      ++counts[i];
      peaks[i] = std::max(peaks[i], row.end_to_end_ms);
    }
  }
  double top = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    double total = 0;
    for (auto& value : sums[i]) total += (value /= counts[i]);
    top = std::max({top, total, shared ? peaks[i] : 0.0});
  }
  if (shared) legend.push_back({"end-to-end, worst frame per pixel column", kMaxColor, true});
  if (drops > 0)
    legend.push_back({"dropped frame (" + std::to_string(drops) + ")", kDropColor, true});
  const int legend_height = draw_legend(canvas, legend, region);
  area.y = region.y + legend_height + 14;
  area.height = region.height - legend_height - 14;
  panel.area = area;
  if (trace.rows.empty() || top <= 0) return no_data(canvas, area);
  panel.y = nice_axis(0, top, 6);
  draw_axes(canvas, panel, "frame", "latency (ms)");
  cv::Point previous(-1, -1);
  for (int c = 0; c < area.width; ++c) {
    const auto i = static_cast<std::size_t>(c);
    if (counts[i] == 0) {
      previous = {-1, -1};
      continue;
    }
    double base = 0;
    for (std::size_t p = 0; p < parts; ++p) {
      const int y0 = panel.py(base);
      const int y1 = panel.py(base + sums[i][p]);
      if (y0 > y1) cv::line(canvas, {area.x + c, y0}, {area.x + c, y1}, legend[p].color, 1);
      base += sums[i][p];
    }
    if (shared) {
      const cv::Point here(area.x + c, panel.py(peaks[i]));
      if (previous.x >= 0) cv::line(canvas, previous, here, kMaxColor, 1, cv::LINE_AA);
      previous = here;
    }
  }
  for (const auto& row : trace.rows) {
    if (row.written()) continue;
    const int x = panel.px(static_cast<double>(row.sequence) + 0.5);
    cv::line(canvas, {x, area.y + area.height - 1}, {x, area.y + area.height - 12}, kDropColor, 2);
  }
  cv::rectangle(canvas, area, kInk, 1);
}

// Bottom panel: how often each end-to-end latency occurred. Far outliers
// would squeeze the bulk into a few bars: the range stops a little past p99
// and the frames beyond are counted in a note.
void draw_histogram(cv::Mat& canvas, const std::vector<double>& latencies, cv::Rect area) {
  if (latencies.empty()) return no_data(canvas, area);
  const Summary s = summarize(latencies);
  const double cut = s.p99 + 3 * std::max(s.p99 - s.p50, 0.05 * s.p99);
  const double hi = std::min(s.max, cut);
  const double lo = s.min < 0.25 * hi ? 0.0 : s.min;
  Panel panel{area, nice_axis(lo, hi, 10), {}};
  const double root = std::sqrt(static_cast<double>(latencies.size()));
  const int bins = std::clamp(static_cast<int>(2 * root), 10, 80);
  const double width = (panel.x.hi - panel.x.lo) / bins;
  std::vector<int> counts(static_cast<std::size_t>(bins), 0);
  std::int64_t beyond = 0;
  for (const double v : latencies) {
    if (v > panel.x.hi) {
      ++beyond;
      continue;
    }
    const int b = std::clamp(static_cast<int>((v - panel.x.lo) / width), 0, bins - 1);
    ++counts[static_cast<std::size_t>(b)];
  }
  panel.y = nice_axis(0, *std::max_element(counts.begin(), counts.end()), 5);
  draw_axes(canvas, panel, "end-to-end latency (ms), capture to sink completion", "frames");
  for (int b = 0; b < bins; ++b) {
    const int count = counts[static_cast<std::size_t>(b)];
    if (count == 0) continue;
    const cv::Point p0(panel.px(panel.x.lo + b * width) + 1, panel.py(count));
    const cv::Point p1(panel.px(panel.x.lo + (b + 1) * width) - 1, panel.py(0));
    cv::rectangle(canvas, cv::Rect(p0, cv::Point(std::max(p0.x + 1, p1.x), p1.y)),
                  cv::Scalar(200, 150, 90), cv::FILLED);
  }
  const struct {
    const char* name;
    double value;
    cv::Scalar color;
  } marks[] = {{"p50", s.p50, cv::Scalar(160, 90, 20)}, {"p99", s.p99, kDropColor}};
  int label_y = area.y + 22;
  int last_x = -1000;
  for (const auto& mark : marks) {
    const int x = panel.px(mark.value);
    cv::line(canvas, {x, area.y}, {x, area.y + area.height}, mark.color, 2);
    if (x - last_x < 170) label_y += 26;  // keep close labels apart
    const bool right_side = x > area.x + area.width - 170;
    put_boxed_text(canvas, std::string(mark.name) + " " + format("%.2f ms", mark.value),
                   {right_side ? x - 6 : x + 6, label_y}, 0.55, mark.color,
                   right_side ? Align::Right : Align::Left);
    last_x = x;
  }
  if (beyond > 0) {
    put_boxed_text(canvas,
                   std::to_string(beyond) + " frame(s) above " + tick_text(panel.x.hi, 0.1) +
                       " ms not shown (max " + format("%.2f ms)", s.max),
                   {area.x + area.width - 8, area.y + area.height - 12}, 0.5, kInk, Align::Right);
  }
  cv::rectangle(canvas, area, kInk, 1);
}

}  // namespace

cv::Mat draw_latency_plot(const Trace& trace, const PlotLabels& labels, cv::Size size) {
  size.width = std::max(size.width, 600);
  size.height = std::max(size.height, 500);
  cv::Mat canvas(size, CV_8UC3, cv::Scalar::all(255));
  std::vector<double> latencies;
  std::int64_t dropped = 0;
  for (const auto& row : trace.rows) {
    if (row.written()) {
      latencies.push_back(row.end_to_end_ms);
    } else {
      ++dropped;
    }
  }
  const Summary s = summarize(latencies);
  const std::int64_t shown_drops = labels.dropped >= 0 ? labels.dropped : dropped;
  const std::string name = labels.pipeline.empty() ? "pipeline" : labels.pipeline;
  put_text(canvas,
           "'" + name + "': latency of " + std::to_string(labels.frames) + " frames at " +
               format("%.1f fps", labels.fps),
           {size.width / 2, 38}, 0.9, kInk, 2, Align::Center);
  put_text(canvas,
           format("end-to-end: p50 %.2f ms, p99 %.2f ms, max %.2f ms", s.p50, s.p99, s.max) +
               (shown_drops > 0 ? "; " + std::to_string(shown_drops) + " frame(s) dropped" : ""),
           {size.width / 2, 66}, 0.55, kInk, 1, Align::Center);
  const int left = 100;
  const int right = size.width - 30;
  const int legend_top = 84;
  const int timeline_bottom = static_cast<int>(size.height * 0.58);
  draw_timeline(canvas, trace,
                cv::Rect(left, legend_top, right - left, timeline_bottom - legend_top));
  const int histogram_top = timeline_bottom + 80;
  draw_histogram(canvas, latencies,
                 cv::Rect(left, histogram_top, right - left, size.height - 70 - histogram_top));
  return canvas;
}

void write_latency_plot(const std::string& path, const Trace& trace, const PlotLabels& labels) {
  const cv::Mat picture = draw_latency_plot(trace, labels);
  // Through a temporary name: a failed or killed write leaves no half picture.
  const std::string temp = util::temporary_name_for(path).string();
  bool ok = false;
  std::string why = "the PNG encoder refused it";
  try {
    ok = pipeline::write_image(temp, picture);
  } catch (const cv::Exception& error) {
    why = error.what();
  }
  std::error_code ec;
  if (ok) std::filesystem::rename(temp, path, ec);
  if (ok && ec) {
    ok = false;
    why = "cannot move it into place: " + ec.message();
  }
  if (!ok) {
    std::filesystem::remove(temp, ec);
    throw std::runtime_error("cannot write the plot '" + path + "': " + why);
  }
}

}  // namespace conveyor::metrics
