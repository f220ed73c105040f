// Pictures and keys for the display sink, kept apart from the window so they
// can be tested headless: views as 8-bit BGR pictures, the labelled mosaic of
// every feature map, the text overlay (dark translucent box, white text), the
// snapshot file and what each key means.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/pipeline/sink.hpp"

namespace conveyor::io {

// Any map (8-bit, 16-bit or float, 1/3/4 channels) as CV_8UC3 for drawing.
cv::Mat to_display_bgr(const cv::Mat& image);

// Shrinks (never enlarges) to fit within `limit`, keeping the aspect ratio.
cv::Mat fit_within(const cv::Mat& image, cv::Size limit);

// Every view in a grid of equal cells (at most `limit` in all), each with its
// name in the top-left corner.
cv::Mat labelled_mosaic(const std::vector<pipeline::View>& views, cv::Size limit);

// What the display sink's `overlay:` list may name.
enum class Overlay { Fps, Latency, Drops, Frame };
inline const std::vector<std::pair<std::string, Overlay>> kOverlayNames = {
    {"fps", Overlay::Fps},
    {"latency", Overlay::Latency},
    {"drops", Overlay::Drops},
    {"frame", Overlay::Frame}};

// What the overlay says about the frame on screen.
struct OverlayState {
  pipeline::LiveStats stats;
  bool have_stats = false;  // live_stats was available
  std::int64_t sequence = 0;
  std::string view_name;
  int view_index = 0;  // 0-based
  int view_count = 1;
  bool mosaic = false;
  bool paused = false;
  std::string notice;  // a short-lived message, e.g. "saved snapshot_000042.png"
};

// The overlay's lines, in order: the requested items (fps, latency, drops,
// frame), then the view on screen, PAUSED, and the notice.
std::vector<std::string> overlay_lines(const std::vector<Overlay>& items,
                                       const OverlayState& state);

// White text lines on a dark translucent box at the top-left of `image`
// (CV_8UC3), sized to the picture's width.
void draw_text_box(cv::Mat& image, const std::vector<std::string>& lines);

// Writes `picture` to snapshot_<sequence>.png in the working directory and
// logs where; `path` receives the file name. False when it cannot be written.
bool write_snapshot(const cv::Mat& picture, std::int64_t sequence, std::string& path);

// What a key pressed in the window asks for: q/Esc quit, space pause,
// Tab or n next view, 1-9 view N (0-based in `view`), m mosaic, s snapshot.
// `key` as cv::waitKey returns it (-1: none).
enum class KeyAction { None, Quit, Pause, NextView, SelectView, Mosaic, Snapshot };
struct KeyCommand {
  KeyAction action = KeyAction::None;
  int view = -1;
};
KeyCommand command_for_key(int key);

}  // namespace conveyor::io
