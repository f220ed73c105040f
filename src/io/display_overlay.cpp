// Pictures and text for the display window (no HighGUI calls here).
#include "display_overlay.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "conveyor/pipeline/media_plugin.hpp"
#include "frame_convert.hpp"

namespace conveyor::io {
namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

std::string format(const char* pattern, double a, double b = 0, double c = 0) {
  char text[128];
  std::snprintf(text, sizeof text, pattern, a, b, c);
  return text;
}

// Text height in pixels grows with the picture, readable from 320 to 4K wide.
double font_scale_for(int width) {
  return std::clamp(static_cast<double>(width) / 1400.0, 0.4, 0.75);
}

int label_height(double scale) {
  int baseline = 0;
  const int thickness = scale >= 0.7 ? 2 : 1;
  const int pad = std::max(2, static_cast<int>(4 * scale));
  return cv::getTextSize("Ag", kFont, scale, thickness, &baseline).height + baseline + 2 * pad;
}

// One line of text on its own dark box at `origin` (top-left of the box).
void draw_label(cv::Mat& image, const std::string& text, cv::Point origin, double scale) {
  int baseline = 0;
  const int thickness = scale >= 0.7 ? 2 : 1;
  const cv::Size size = cv::getTextSize(text, kFont, scale, thickness, &baseline);
  const int pad = std::max(2, static_cast<int>(4 * scale));
  const cv::Rect box =
      cv::Rect(origin, cv::Size(size.width + 2 * pad, size.height + baseline + 2 * pad)) &
      cv::Rect(0, 0, image.cols, image.rows);
  if (box.area() <= 0) return;
  cv::Mat region = image(box);
  cv::Mat dark(region.size(), region.type(), cv::Scalar::all(0));
  cv::addWeighted(region, 0.4, dark, 0.6, 0, region);
  cv::putText(image, text, origin + cv::Point(pad, pad + size.height), kFont, scale,
              cv::Scalar::all(255), thickness, cv::LINE_AA);
}

}  // namespace

cv::Mat to_display_bgr(const cv::Mat& image) {
  if (image.empty()) return cv::Mat(cv::Size(320, 240), CV_8UC3, cv::Scalar::all(0));
  return to_capture_format(image, config::ColorMode::Bgr);
}

cv::Mat fit_within(const cv::Mat& image, cv::Size limit) {
  if (image.empty() || (image.cols <= limit.width && image.rows <= limit.height)) return image;
  const double scale = std::min(static_cast<double>(limit.width) / image.cols,
                                static_cast<double>(limit.height) / image.rows);
  const cv::Size size(std::max(1, static_cast<int>(std::lround(image.cols * scale))),
                      std::max(1, static_cast<int>(std::lround(image.rows * scale))));
  cv::Mat out;
  cv::resize(image, out, size, 0, 0, cv::INTER_AREA);
  return out;
}

cv::Mat labelled_mosaic(const std::vector<pipeline::View>& views, cv::Size limit) {
  if (views.empty()) return to_display_bgr(cv::Mat());
  const int n = static_cast<int>(views.size());
  const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int rows = (n + cols - 1) / cols;
  cv::Size largest(1, 1);
  for (const auto& view : views) {
    largest.width = std::max(largest.width, view.image.cols);
    largest.height = std::max(largest.height, view.image.rows);
  }
  const double scale = std::min({1.0, static_cast<double>(limit.width) / (cols * largest.width),
                                 static_cast<double>(limit.height) / (rows * largest.height)});
  const cv::Size cell(std::max(1, static_cast<int>(largest.width * scale)),
                      std::max(1, static_cast<int>(largest.height * scale)));
  cv::Mat out(cv::Size(cell.width * cols, cell.height * rows), CV_8UC3, cv::Scalar::all(32));
  const double text_scale = font_scale_for(cell.width * 2);
  for (int i = 0; i < n; ++i) {
    const cv::Rect slot((i % cols) * cell.width, (i / cols) * cell.height, cell.width, cell.height);
    cv::Mat picture = fit_within(to_display_bgr(views[i].image), cell);
    const cv::Point offset((cell.width - picture.cols) / 2, (cell.height - picture.rows) / 2);
    picture.copyTo(out(cv::Rect(slot.tl() + offset, picture.size())));
    cv::rectangle(out, slot, cv::Scalar::all(90), 1);
    // Bottom-left: the statistics box covers the top-left corner.
    draw_label(out, std::to_string(i + 1) + " " + views[i].name,
               cv::Point(slot.x + 4, slot.y + slot.height - label_height(text_scale) - 4),
               text_scale);
  }
  return out;
}

std::vector<std::string> overlay_lines(const std::vector<Overlay>& items,
                                       const OverlayState& state) {
  std::vector<std::string> lines;
  const auto& s = state.stats;
  for (const auto item : items) {
    switch (item) {
      case Overlay::Fps:
        lines.push_back(format("fps %.1f", s.fps));
        break;
      case Overlay::Latency:
        lines.push_back(state.have_stats
                            ? format("latency %.1f ms  p50 %.1f  p99 %.1f", s.latency_last_ms,
                                     s.latency_p50_ms, s.latency_p99_ms)
                            : "latency n/a");
        break;
      case Overlay::Drops:
        lines.push_back(state.have_stats ? "drops " + std::to_string(s.dropped) + " of " +
                                               std::to_string(s.decoded)
                                         : "drops n/a");
        break;
      case Overlay::Frame:
        lines.push_back("frame " + std::to_string(state.sequence));
        break;
    }
  }
  if (state.mosaic) {
    lines.push_back("mosaic of " + std::to_string(state.view_count) + " maps  (m: single view)");
  } else if (state.view_count > 1 || !items.empty()) {
    lines.push_back("view " + std::to_string(state.view_index + 1) + "/" +
                    std::to_string(state.view_count) + ": " + state.view_name);
  }
  if (state.paused) lines.push_back("PAUSED  (space: resume)");
  if (!state.notice.empty()) lines.push_back(state.notice);
  return lines;
}

void draw_text_box(cv::Mat& image, const std::vector<std::string>& lines) {
  if (lines.empty() || image.empty()) return;
  const double scale = font_scale_for(image.cols);
  const int thickness = scale >= 0.7 ? 2 : 1;
  const int pad = std::max(4, static_cast<int>(8 * scale));
  int baseline = 0;
  int width = 0;
  const int line_height = cv::getTextSize("Ag", kFont, scale, thickness, &baseline).height;
  const int step = line_height + baseline + pad / 2;
  for (const auto& line : lines) {
    width = std::max(width, cv::getTextSize(line, kFont, scale, thickness, &baseline).width);
  }
  const cv::Rect box =
      cv::Rect(pad, pad, width + 2 * pad, step * static_cast<int>(lines.size()) + pad) &
      cv::Rect(0, 0, image.cols, image.rows);
  if (box.area() <= 0) return;
  cv::Mat region = image(box);
  cv::Mat dark(region.size(), region.type(), cv::Scalar::all(0));
  cv::addWeighted(region, 0.35, dark, 0.65, 0, region);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const cv::Point at(box.x + pad, box.y + pad / 2 + line_height + static_cast<int>(i) * step);
    cv::putText(image, lines[i], at, kFont, scale, cv::Scalar::all(255), thickness, cv::LINE_AA);
  }
}

bool write_snapshot(const cv::Mat& picture, std::int64_t sequence, std::string& path) {
  char name[64];
  std::snprintf(name, sizeof name, "snapshot_%06lld.png", static_cast<long long>(sequence));
  path = name;
  bool ok = false;
  std::string why = "the PNG encoder refused it";
  try {
    ok = pipeline::write_image(path, picture);
  } catch (const cv::Exception& e) {
    why = e.what();
  }
  if (ok) {
    spdlog::info("display: snapshot saved to {}", path);
  } else {
    spdlog::warn("display: could not write {} in the working directory: {}", path, why);
  }
  return ok;
}

KeyCommand command_for_key(int key) {
  if (key < 0) return {};
  const int c = key & 0xFF;
  switch (c) {
    case 'q':
    case 'Q':
    case 27:  // Esc
      return {KeyAction::Quit};
    case ' ':
      return {KeyAction::Pause};
    case '\t':
    case 'n':
    case 'N':
      return {KeyAction::NextView};
    case 'm':
    case 'M':
      return {KeyAction::Mosaic};
    case 's':
    case 'S':
      return {KeyAction::Snapshot};
    default:
      if (c >= '1' && c <= '9') return {KeyAction::SelectView, c - '1'};
      return {};
  }
}

}  // namespace conveyor::io
