/* Source `testpattern`: a built-in, deterministic synthetic video.
 *
 * Inputs:  none.
 * Outputs: frames as CV_8UC1 (color: gray) or CV_8UC3 BGR (color: bgr), width x
 *          height; frame n is a pure function of n and the parameters, so runs
 *          can be compared pixel for pixel.
 * Parameters: width, height, fps, frames (0: endless), pattern (the
 *          background: moving_box — soft ramp, gradient — colour ramps,
 *          checkerboard — a scrolling board, bars — colour bars, noise — seeded
 *          noise), seed (noise only).
 *
 *   source: { type: testpattern, width: 640, height: 360, fps: 30, frames: 300,
 *             pattern: checkerboard, color: gray }
 *
 * Every variant carries what a filter bank needs to show its effect: a box and
 * a circle that move with n (motion, hard edges of both polarities), the
 * frame number as text, and a fine-detail patch in the bottom-right corner
 * (1-pixel stripes both ways, a 2-pixel checkerboard and a zone plate whose
 * frequency rises to the Nyquist limit) where blur and aliasing are visible.
 */
#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/source.hpp"
#include "frame_convert.hpp"

namespace conveyor::sources {
namespace {

using namespace config::pipeline_detail;
using namespace io;
using pipeline::ReadStatus;

enum class TestPattern { MovingBox, Gradient, Checkerboard, Bars, Noise };

const std::vector<std::pair<std::string, TestPattern>> kPatterns = {
    {"moving_box", TestPattern::MovingBox},
    {"gradient", TestPattern::Gradient},
    {"checkerboard", TestPattern::Checkerboard},
    {"bars", TestPattern::Bars},
    {"noise", TestPattern::Noise}};

constexpr int kMaxSide = 16384;

struct Params final : config::SourceParams {
  int width = 1280;
  int height = 720;
  double fps = 30;
  std::int64_t frames = 300;  // 0: endless
  TestPattern pattern = TestPattern::MovingBox;
  std::uint32_t seed = 1;  // noise only

  std::optional<conv::MapSize> known_size() const override { return conv::MapSize{width, height}; }
  double nominal_fps() const override { return fps; }
};

std::shared_ptr<const config::SourceParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<Params>();
  const std::string side = "pixels from 1 to " + std::to_string(kMaxSide);
  if (auto v = map.get("width")) read_int(ctx, *v, 1, kMaxSide, params->width, side);
  if (auto v = map.get("height")) read_int(ctx, *v, 1, kMaxSide, params->height, side);
  if (auto v = map.get("fps")) read_fps(ctx, *v, params->fps);
  if (auto v = map.get("frames"))
    read_int(ctx, *v, std::int64_t{0}, INT64_MAX, params->frames,
             "a frame count >= 0 (0: endless)");
  if (auto v = map.get("pattern")) read_enum(ctx, *v, kPatterns, params->pattern, "test pattern");
  if (auto v = map.get("seed")) {
    std::int64_t seed = 0;
    if (read_int(ctx, *v, std::int64_t{0}, std::int64_t{UINT32_MAX}, seed,
                 "an integer from 0 to 4294967295"))
      params->seed = static_cast<std::uint32_t>(seed);
  }
  return params;
}

// 0, 1, ..., range, range-1, ..., 0, 1, ...: a position that bounces.
int bounce(std::int64_t t, int range) {
  if (range <= 0) return 0;
  const std::int64_t period = 2 * static_cast<std::int64_t>(range);
  const auto m = static_cast<int>(t % period);
  return m <= range ? m : static_cast<int>(period) - m;
}

class TestPatternSource final : public pipeline::Source {
 public:
  explicit TestPatternSource(const config::SourceSpec& spec)
      : params_(spec.as<Params>()), color_(spec.color) {}

  void open() override {
    const int w = std::max(1, params_.width), h = std::max(1, params_.height);
    size_ = cv::Size(w, h);
    unit_ = std::max(1, std::min(w, h));
    background_ = make_background();
    detail_ = make_detail(std::clamp(unit_ / 4, 1, 256));
  }

  ReadStatus read(cv::Mat& frame, std::int64_t& source_index) override {
    if (params_.frames > 0 && next_ >= params_.frames) return ReadStatus::End;
    source_index = next_;
    frame = to_capture_format(render(next_++), color_);
    ++stats_.frames;
    return ReadStatus::Frame;
  }

  std::optional<std::int64_t> expected_frames() const override {
    if (params_.frames > 0) return params_.frames;
    return std::nullopt;
  }
  double fps() const override { return params_.fps > 0 ? params_.fps : 30.0; }
  pipeline::SourceStats stats() const override { return stats_; }
  std::string describe() const override {
    return "testpattern " + config::name_of(kPatterns, params_.pattern) + " " +
           std::to_string(size_.width) + "x" + std::to_string(size_.height);
  }

 private:
  cv::Mat render(std::int64_t n) const {
    cv::Mat frame;
    const int w = size_.width, h = size_.height;
    if (params_.pattern == TestPattern::Checkerboard) {
      const int cell = std::max(2, unit_ / 12);
      const int shift = static_cast<int>((n * 2) % (2 * cell));  // scrolls diagonally
      background_(cv::Rect(shift, shift, w, h)).copyTo(frame);
    } else if (params_.pattern == TestPattern::Noise) {
      frame.create(size_, CV_8UC3);
      cv::RNG rng(static_cast<std::uint64_t>(params_.seed) * 0x9E3779B97F4A7C15ULL +
                  static_cast<std::uint64_t>(n));
      rng.fill(frame, cv::RNG::UNIFORM, 0, 256);
    } else {
      frame = background_.clone();
    }
    if (detail_.cols <= w && detail_.rows <= h) {
      detail_.copyTo(
          frame(cv::Rect(w - detail_.cols, h - detail_.rows, detail_.cols, detail_.rows)));
    }
    // Moving shapes: a yellow box sliding across, a blue circle bobbing.
    const int side = std::max(2, unit_ / 5), step = std::max(1, w / 100);
    const int bx = bounce(n * step, w - side), by = std::max(0, h / 2 - side / 2);
    cv::rectangle(frame, cv::Rect(bx, by, side, side), cv::Scalar(0, 220, 255), cv::FILLED);
    cv::rectangle(frame, cv::Rect(bx, by, side, side), cv::Scalar(0, 0, 0), std::max(1, side / 16));
    const int radius = std::max(1, unit_ / 10);
    const int cy = bounce(n * std::max(1, h / 100), h - 2 * radius) + radius;
    cv::circle(frame, cv::Point(w / 3, cy), radius, cv::Scalar(255, 80, 40), cv::FILLED,
               cv::LINE_AA);
    // The frame number, outlined so it reads on any background.
    const double scale = std::max(0.3, unit_ / 360.0);
    const int thick = std::max(1, static_cast<int>(std::lround(scale * 2)));
    const cv::Point at(std::max(1, unit_ / 40), std::max(8, static_cast<int>(30 * scale)));
    const std::string text = "frame " + std::to_string(n);
    cv::putText(frame, text, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), thick * 3,
                cv::LINE_AA);
    cv::putText(frame, text, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255), thick,
                cv::LINE_AA);
    return frame;
  }

  // The part of the picture that does not move (a larger board for scrolling).
  cv::Mat make_background() const {
    const int w = size_.width, h = size_.height;
    switch (params_.pattern) {
      case TestPattern::Checkerboard: {
        const int cell = std::max(2, unit_ / 12);
        cv::Mat board(h + 2 * cell, w + 2 * cell, CV_8UC3);
        board.forEach<cv::Vec3b>([cell](cv::Vec3b& p, const int* pos) {
          const bool dark = ((pos[0] / cell) + (pos[1] / cell)) % 2 == 0;
          p = dark ? cv::Vec3b(40, 40, 40) : cv::Vec3b(215, 215, 215);
        });
        return board;
      }
      case TestPattern::Bars: {
        static const cv::Scalar kBars[] = {{255, 255, 255}, {0, 255, 255}, {255, 255, 0},
                                           {0, 255, 0},     {255, 0, 255}, {0, 0, 255},
                                           {255, 0, 0},     {0, 0, 0}};
        cv::Mat bars(size_, CV_8UC3);
        for (int i = 0; i < 8; ++i) {
          const int x0 = w * i / 8, x1 = w * (i + 1) / 8;
          if (x1 > x0) bars(cv::Rect(x0, 0, x1 - x0, h)).setTo(kBars[i]);
        }
        return bars;
      }
      case TestPattern::Gradient: {
        cv::Mat ramp(size_, CV_8UC3);
        ramp.forEach<cv::Vec3b>([w, h](cv::Vec3b& p, const int* pos) {
          const int x = pos[1], y = pos[0];
          p = cv::Vec3b(static_cast<uchar>(255 * x / std::max(1, w - 1)),
                        static_cast<uchar>(255 * y / std::max(1, h - 1)),
                        static_cast<uchar>(255 * (x + y) / std::max(1, w + h - 2)));
        });
        return ramp;
      }
      default: {  // moving_box (and noise's unused base): a soft horizontal ramp
        cv::Mat soft(size_, CV_8UC3);
        soft.forEach<cv::Vec3b>([w](cv::Vec3b& p, const int* pos) {
          const auto v = static_cast<uchar>(60 + 100 * pos[1] / std::max(1, w - 1));
          p = cv::Vec3b(v, v, v);
        });
        return soft;
      }
    }
  }

  // Fine detail in four quadrants: vertical and horizontal 1-pixel stripes, a
  // 2-pixel checkerboard and a zone plate.
  static cv::Mat make_detail(int side) {
    cv::Mat patch(side, side, CV_8UC3);
    const int half = std::max(1, side / 2);
    const double k = std::numbers::pi / (2.0 * half);  // phase step reaches pi at r = half
    patch.forEach<cv::Vec3b>([half, k](cv::Vec3b& p, const int* pos) {
      const int y = pos[0], x = pos[1];
      uchar v = 0;
      if (y < half && x < half)
        v = x % 2 ? 255 : 0;
      else if (y < half)
        v = y % 2 ? 255 : 0;
      else if (x < half)
        v = ((x / 2) + (y / 2)) % 2 ? 255 : 0;
      else {
        const double dx = x - half, dy = y - half;
        v = cv::saturate_cast<uchar>(127.5 + 127.5 * std::cos(k * (dx * dx + dy * dy)));
      }
      p = cv::Vec3b(v, v, v);
    });
    return patch;
  }

  Params params_;
  config::ColorMode color_;
  cv::Size size_;
  int unit_ = 1;  // the shorter side: shapes and text scale with it
  cv::Mat background_;
  cv::Mat detail_;
  std::int64_t next_ = 0;
  pipeline::SourceStats stats_;
};

const config::RegisterSource kRegistration(
    {{"testpattern",
      "a built-in synthetic video: moving shapes, frame number and a fine-detail patch",
      {{"width", "pixels 1..16384 (1280)", "frame width"},
       {"height", "pixels 1..16384 (720)", "frame height"},
       {"fps", "0 < fps <= 1000 (30)", "timestamps and realtime pacing"},
       {"frames", "count >= 0 (300)", "frames to make; 0: endless"},
       {"pattern", "moving_box | gradient | checkerboard | bars | noise (moving_box)",
        "the background"},
       {"seed", "0..4294967295 (1)", "noise only"}},
      "{type: testpattern, width: 640, height: 360, frames: 300, pattern: checkerboard}"},
     false,
     read_params,
     [](const config::SourceSpec& spec) { return std::make_unique<TestPatternSource>(spec); }});

}  // namespace
}  // namespace conveyor::sources
