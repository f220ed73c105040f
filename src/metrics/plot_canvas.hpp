// Small chart-drawing helpers over cv::Mat for the latency plot: nice axis
// ranges and ticks, panels with grid lines and labels, legends, text.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace conveyor::metrics::plot {

const cv::Scalar kInk(40, 40, 40);
const cv::Scalar kGrid(225, 225, 225);

struct Axis {
  double lo = 0;
  double hi = 1;
  double step = 1;  // between ticks
};

// A range covering [lo, hi] with round ticks (1, 2 or 5 x 10^k), about
// `ticks` of them.
Axis nice_axis(double lo, double hi, int ticks);
std::string tick_text(double value, double step);

// A rectangle of the canvas showing x in [x.lo, x.hi] and y in [y.lo, y.hi].
struct Panel {
  cv::Rect area;
  Axis x;
  Axis y;
  int px(double value) const;  // canvas column of an x value
  int py(double value) const;  // canvas row of a y value
};

enum class Align { Left, Center, Right };

void put_text(cv::Mat& canvas, const std::string& text, cv::Point at, double scale,
              const cv::Scalar& color = kInk, int thickness = 1, Align align = Align::Left);
// Text on a white box, readable over bars and grid lines.
void put_boxed_text(cv::Mat& canvas, const std::string& text, cv::Point at, double scale,
                    const cv::Scalar& color, Align align = Align::Left);
// Text turned 90 degrees counter-clockwise, centred on `center`.
void put_vertical_text(cv::Mat& canvas, const std::string& text, cv::Point center, double scale);

// Grid lines, a frame, tick labels on both axes and the axis titles.
void draw_axes(cv::Mat& canvas, const Panel& panel, const std::string& x_title,
               const std::string& y_title);

struct LegendItem {
  std::string label;
  cv::Scalar color;
  bool line = false;  // a line sample instead of a filled box
};

// Items left to right, wrapping inside `area`; returns the height used.
int draw_legend(cv::Mat& canvas, const std::vector<LegendItem>& items, cv::Rect area);

}  // namespace conveyor::metrics::plot
