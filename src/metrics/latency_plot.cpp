// The latency picture: stacked per-frame latency over time and a histogram of
// end-to-end latency (see latency_plot.hpp).
#include "conveyor/metrics/latency_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "conveyor/metrics/latency_stats.hpp"
#include "conveyor/util/temp_names.hpp"
#include "plot_canvas.hpp"
#include "trace_digest.hpp"

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

std::vector<LegendItem> stack_legend(const std::vector<std::string>& stage_names) {
  std::vector<LegendItem> items;
  for (std::size_t s = 0; s < stage_names.size(); ++s) {
    const cv::Scalar color = kPalette[s % std::size(kPalette)];
    items.push_back({stage_names[s] + " queue", lighter(color)});
    items.push_back({stage_names[s] + " compute", color});
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

// Top panel: per pixel column, the mean stack of the frames in it and, when a
// column holds several frames, their largest end-to-end latency as a line.
// `region` holds the legend, then the panel.
void draw_timeline(cv::Mat& canvas, const detail::TimelineColumns& t,
                   const std::vector<std::string>& stage_names, cv::Rect region) {
  cv::Rect area = region;  // the panel's final top is known once the legend is drawn
  std::vector<LegendItem> legend = stack_legend(stage_names);
  const std::size_t parts = t.parts;
  const bool shared = t.shared;
  const std::int64_t drops = t.drops;
  Panel panel{area, t.x, {}};
  double top = 0;
  for (std::size_t i = 0; i < t.counts.size(); ++i) {
    if (t.counts[i] == 0) continue;
    double total = 0;
    for (std::size_t p = 0; p < parts; ++p) total += t.means[i * parts + p];
    top = std::max({top, total, shared ? t.peaks[i] : 0.0});
  }
  if (shared) legend.push_back({"end-to-end, worst frame per pixel column", kMaxColor, true});
  if (drops > 0)
    legend.push_back({"dropped frame (" + std::to_string(drops) + ")", kDropColor, true});
  const int legend_height = draw_legend(canvas, legend, region);
  area.y = region.y + legend_height + 14;
  area.height = region.height - legend_height - 14;
  panel.area = area;
  if (!t.any || top <= 0) return no_data(canvas, area);
  panel.y = nice_axis(0, top, 6);
  draw_axes(canvas, panel, "frame", "latency (ms)");
  cv::Point previous(-1, -1);
  for (int c = 0; c < area.width; ++c) {
    const auto i = static_cast<std::size_t>(c);
    if (t.counts[i] == 0) {
      previous = {-1, -1};
      continue;
    }
    double base = 0;
    for (std::size_t p = 0; p < parts; ++p) {
      const int y0 = panel.py(base);
      const double mean = t.means[i * parts + p];
      const int y1 = panel.py(base + mean);
      if (y0 > y1) cv::line(canvas, {area.x + c, y0}, {area.x + c, y1}, legend[p].color, 1);
      base += mean;
    }
    if (shared) {
      const cv::Point here(area.x + c, panel.py(t.peaks[i]));
      if (previous.x >= 0) cv::line(canvas, previous, here, kMaxColor, 1, cv::LINE_AA);
      previous = here;
    }
  }
  for (std::size_t c = 0; c < t.drop_ticks.size(); ++c) {
    if (t.drop_ticks[c] == 0) continue;
    const int x = area.x + static_cast<int>(c);
    cv::line(canvas, {x, area.y + area.height - 1}, {x, area.y + area.height - 12}, kDropColor, 2);
  }
  cv::rectangle(canvas, area, kInk, 1);
}

// Bottom panel: how often each end-to-end latency occurred, p50 and p99
// marked; frames beyond the range are counted in a note.
void draw_histogram(cv::Mat& canvas, const Summary& s, const detail::HistogramBins& h,
                    cv::Rect area) {
  if (s.count == 0) return no_data(canvas, area);
  Panel panel{area, h.x, {}};
  const auto& counts = h.counts;
  const int bins = static_cast<int>(counts.size());
  const double width = h.width;
  const std::int64_t beyond = h.beyond;
  panel.y = nice_axis(0, static_cast<double>(*std::max_element(counts.begin(), counts.end())), 5);
  draw_axes(canvas, panel, "end-to-end latency (ms), capture to sink completion", "frames");
  for (int b = 0; b < bins; ++b) {
    const auto count = static_cast<double>(counts[static_cast<std::size_t>(b)]);
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

cv::Mat draw_latency_plot(TraceSource& trace, const PlotLabels& labels, cv::Size size,
                          Summary* latency) {
  size.width = std::max(size.width, 600);
  size.height = std::max(size.height, 500);
  cv::Mat canvas(size, CV_8UC3, cv::Scalar::all(255));
  const int left = 100;
  const int right = size.width - 30;
  const detail::TraceDigest digest = detail::digest_trace(trace, right - left);
  const Summary& s = digest.latency;
  if (latency != nullptr) *latency = s;
  const std::int64_t shown_drops = labels.dropped >= 0 ? labels.dropped : digest.timeline.drops;
  const std::string name = labels.pipeline.empty() ? "pipeline" : labels.pipeline;
  put_text(canvas,
           "'" + name + "': latency of " + std::to_string(labels.frames) + " frames at " +
               format("%.1f fps", labels.fps),
           {size.width / 2, 38}, 0.9, kInk, 2, Align::Center);
  put_text(canvas,
           format("end-to-end: p50 %.2f ms, p99 %.2f ms, max %.2f ms", s.p50, s.p99, s.max) +
               (shown_drops > 0 ? "; " + std::to_string(shown_drops) + " frame(s) dropped" : ""),
           {size.width / 2, 66}, 0.55, kInk, 1, Align::Center);
  const int legend_top = 84;
  const int timeline_bottom = static_cast<int>(size.height * 0.58);
  draw_timeline(canvas, digest.timeline, trace.stage_names(),
                cv::Rect(left, legend_top, right - left, timeline_bottom - legend_top));
  const int histogram_top = timeline_bottom + 80;
  draw_histogram(canvas, s, digest.histogram,
                 cv::Rect(left, histogram_top, right - left, size.height - 70 - histogram_top));
  return canvas;
}

cv::Mat draw_latency_plot(const Trace& trace, const PlotLabels& labels, cv::Size size) {
  TraceInMemory rows(trace);
  return draw_latency_plot(rows, labels, size);
}

void write_plot_image(const std::string& path, const cv::Mat& picture, const ImageWriter& write) {
  // Through a temporary name: a failed or killed write leaves no half picture.
  const std::string temp = util::temporary_name_for(path).string();
  bool ok = false;
  std::string why = "the PNG encoder refused it";
  try {
    ok = write(temp, picture);
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

void write_latency_plot(const std::string& path, TraceSource& trace, const PlotLabels& labels,
                        const ImageWriter& write) {
  write_plot_image(path, draw_latency_plot(trace, labels), write);
}

void write_latency_plot(const std::string& path, const Trace& trace, const PlotLabels& labels,
                        const ImageWriter& write) {
  TraceInMemory rows(trace);
  write_latency_plot(path, rows, labels, write);
}

}  // namespace conveyor::metrics
