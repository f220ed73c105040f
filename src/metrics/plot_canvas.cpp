// Chart helpers: axes, ticks, legends and text on a cv::Mat.
#include "plot_canvas.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>

namespace conveyor::metrics::plot {
namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kTickScale = 0.45;
constexpr double kTitleScale = 0.55;

double nice_step(double range, int ticks) {
  const double raw = range / std::max(1, ticks);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / magnitude;
  const double nice = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return nice * magnitude;
}

}  // namespace

Axis nice_axis(double lo, double hi, int ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = hi = 0;
  if (hi <= lo) hi = lo + 1;
  Axis axis;
  axis.step = nice_step(hi - lo, ticks);
  axis.lo = std::floor(lo / axis.step) * axis.step;
  axis.hi = std::ceil(hi / axis.step) * axis.step;
  if (axis.hi <= axis.lo) axis.hi = axis.lo + axis.step;
  return axis;
}

std::string tick_text(double value, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", std::min(decimals, 6), value);
  return std::string(text) == "-0" ? "0" : text;
}

int Panel::px(double value) const {
  const double t = (value - x.lo) / (x.hi - x.lo);
  return area.x + static_cast<int>(std::lround(t * area.width));
}

int Panel::py(double value) const {
  const double t = (value - y.lo) / (y.hi - y.lo);
  return area.y + area.height - static_cast<int>(std::lround(t * area.height));
}

void put_text(cv::Mat& canvas, const std::string& text, cv::Point at, double scale,
              const cv::Scalar& color, int thickness, Align align) {
  int baseline = 0;
  const cv::Size size = cv::getTextSize(text, kFont, scale, thickness, &baseline);
  if (align == Align::Center) at.x -= size.width / 2;
  if (align == Align::Right) at.x -= size.width;
  cv::putText(canvas, text, at, kFont, scale, color, thickness, cv::LINE_AA);
}

void put_boxed_text(cv::Mat& canvas, const std::string& text, cv::Point at, double scale,
                    const cv::Scalar& color, Align align) {
  int baseline = 0;
  const cv::Size size = cv::getTextSize(text, kFont, scale, 2, &baseline);
  if (align == Align::Center) at.x -= size.width / 2;
  if (align == Align::Right) at.x -= size.width;
  const cv::Rect box(at.x - 3, at.y - size.height - 3, size.width + 6, size.height + baseline + 4);
  cv::rectangle(canvas, box & cv::Rect(0, 0, canvas.cols, canvas.rows), cv::Scalar::all(255),
                cv::FILLED);
  cv::putText(canvas, text, at, kFont, scale, color, 2, cv::LINE_AA);
}

void put_vertical_text(cv::Mat& canvas, const std::string& text, cv::Point center, double scale) {
  int baseline = 0;
  const cv::Size size = cv::getTextSize(text, kFont, scale, 1, &baseline);
  cv::Mat strip(size.height + baseline + 4, size.width + 4, CV_8UC3, cv::Scalar::all(255));
  cv::putText(strip, text, cv::Point(2, size.height + 2), kFont, scale, kInk, 1, cv::LINE_AA);
  cv::Mat turned;
  cv::rotate(strip, turned, cv::ROTATE_90_COUNTERCLOCKWISE);
  const cv::Rect target =
      cv::Rect(center.x - turned.cols / 2, center.y - turned.rows / 2, turned.cols, turned.rows) &
      cv::Rect(0, 0, canvas.cols, canvas.rows);
  if (target.area() <= 0) return;
  turned(cv::Rect(0, 0, target.width, target.height)).copyTo(canvas(target));
}

void draw_axes(cv::Mat& canvas, const Panel& panel, const std::string& x_title,
               const std::string& y_title) {
  const cv::Rect& a = panel.area;
  for (double v = panel.y.lo; v <= panel.y.hi + panel.y.step * 1e-6; v += panel.y.step) {
    const int y = panel.py(v);
    cv::line(canvas, {a.x, y}, {a.x + a.width, y}, kGrid, 1);
    cv::line(canvas, {a.x - 5, y}, {a.x, y}, kInk, 1);
    put_text(canvas, tick_text(v, panel.y.step), {a.x - 9, y + 5}, kTickScale, kInk, 1,
             Align::Right);
  }
  for (double v = panel.x.lo; v <= panel.x.hi + panel.x.step * 1e-6; v += panel.x.step) {
    const int x = panel.px(v);
    cv::line(canvas, {x, a.y + a.height}, {x, a.y + a.height + 5}, kInk, 1);
    put_text(canvas, tick_text(v, panel.x.step), {x, a.y + a.height + 22}, kTickScale, kInk, 1,
             Align::Center);
  }
  cv::rectangle(canvas, a, kInk, 1);
  put_text(canvas, x_title, {a.x + a.width / 2, a.y + a.height + 46}, kTitleScale, kInk, 1,
           Align::Center);
  put_vertical_text(canvas, y_title, {a.x - 62, a.y + a.height / 2}, kTitleScale);
}

int draw_legend(cv::Mat& canvas, const std::vector<LegendItem>& items, cv::Rect area) {
  constexpr double kScale = 0.5;
  constexpr int kRow = 24;
  int x = area.x;
  int y = area.y;
  for (const auto& item : items) {
    int baseline = 0;
    const int width = cv::getTextSize(item.label, kFont, kScale, 1, &baseline).width + 46;
    if (x > area.x && x + width > area.x + area.width) {
      x = area.x;
      y += kRow;
    }
    if (item.line) {
      cv::line(canvas, {x, y + 8}, {x + 22, y + 8}, item.color, 2, cv::LINE_AA);
    } else {
      cv::rectangle(canvas, cv::Rect(x, y, 22, 16), item.color, cv::FILLED);
      cv::rectangle(canvas, cv::Rect(x, y, 22, 16), kInk, 1);
    }
    put_text(canvas, item.label, {x + 28, y + 13}, kScale);
    x += width;
  }
  return y + kRow - area.y;
}

}  // namespace conveyor::metrics::plot
