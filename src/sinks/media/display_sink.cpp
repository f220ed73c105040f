/* Sink `display`: a live window with a statistics overlay and keys to switch
 * between the feature maps.
 *
 * Inputs:  its input map (views: that map first, then each feature map of
 *          its stage), any depth, 1 or 3 channels.
 * Outputs: a HighGUI window; snapshot_<sequence>.png on `s`.
 * Parameters: title (window title); overlay: any of fps, latency, drops, frame.
 *
 *   sinks:
 *     - { type: display, title: Edges, overlay: [fps, latency, drops] }
 *
 * Keys: q/Esc quit (a clean stop, like SIGINT; closing the window through
 * the window manager does the same); space pause (frames still
 * complete, the last one stays on screen); Tab or n next view; 1-9 view N;
 * m mosaic of every map; s snapshot of what is on screen.
 *
 * Threads: write() runs on a flow-graph thread. It hands the views to the
 * main thread through a one-frame slot and waits until pump() has shown them,
 * so a frame's sink completion means "on screen". Every HighGUI call is made
 * by pump(), on the main thread. open() checks for a display before anything
 * touches Qt (which aborts the process when there is none). When the display
 * goes away mid-run, Qt ends the process with exit(): the runner's exit guard
 * (src/pipeline/exit_guard.hpp) then finalizes the other outputs, exit code 4.
 */
#include <spdlog/spdlog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <opencv2/highgui.hpp>
#include <thread>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/metrics/latency_stats.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "display_env.hpp"
#include "display_overlay.hpp"

namespace conveyor::sinks {
namespace {

using namespace config::pipeline_detail;
using namespace io;
using Clock = std::chrono::steady_clock;
using pipeline::View;

const cv::Size kScreenLimit(1280, 720);  // larger pictures are shrunk to fit
constexpr auto kShowTimeout = std::chrono::seconds(5);
constexpr auto kNoticeTime = std::chrono::seconds(3);

struct Params final : config::SinkParams {
  std::string title = "Conveyor";
  std::vector<Overlay> overlay;

  // The `s` key saves snapshot_<frame>.png in the working directory; every
  // window writes the same names, so they count once.
  std::vector<config::NodePath> paths() const override {
    return {{"", *util::FileSet::numbered("snapshot_%06d.png"), true, " (its snapshots)"}};
  }
  std::string describe() const override { return "window '" + title + "'"; }
};

std::shared_ptr<const config::SinkParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<Params>();
  if (auto v = map.get("title")) read_string(ctx, *v, params->title, "a window title");
  if (auto v = map.get("overlay")) {
    if (auto items = read_list(ctx, *v, "a list such as [fps, latency, drops, frame]")) {
      for (const auto& item : *items) {
        Overlay overlay = Overlay::Fps;
        if (read_enum(ctx, item, kOverlayNames, overlay, "overlay"))
          params->overlay.push_back(overlay);
      }
    }
  }
  return params;
}

class DisplaySink final : public pipeline::Sink, public pipeline::MainThreadLoop {
 public:
  explicit DisplaySink(const config::SinkSpec& spec)
      : name_(spec.name), input_(spec.input), params_(spec.as<Params>()) {}

  void open(const pipeline::SinkContext& context) override {
    const std::string reason = display_unavailable_reason();
    if (!reason.empty()) {
      throw pipeline::OutputError("display sink '" + name_ + "': " + reason +
                                  "; use a headless sink such as file, images or null, or run "
                                  "under xvfb-run");
    }
    context_ = context;
    stats_.output = "window '" + params_.title + "'";
    // On the main thread, open the window now: starting Qt takes a few hundred
    // milliseconds that would otherwise land on the first frame's latency.
    if (on_main_thread()) open_window();
  }

  void write(const cv::Mat& image, std::int64_t sequence) override {
    write_views({View{input_, image}}, sequence);
  }

  void write_views(const std::vector<View>& views, std::int64_t sequence) override {
    std::unique_lock lock(mutex_);
    ++stats_.written;
    if (released_ || quit_) {  // stopping: nobody will draw it
      ++stats_.skipped;
      return;
    }
    if (has_pending_) ++stats_.skipped;  // the last one was never taken: the viewer skips it
    pending_ = views;
    pending_sequence_ = sequence;
    has_pending_ = true;
    frame_ready_.notify_all();
    const bool done = frame_shown_.wait_for(
        lock, kShowTimeout, [&] { return shown_sequence_ >= sequence || released_ || quit_; });
    if (!done && !warned_) {
      warned_ = true;
      spdlog::warn("display '{}': frame {} was not shown within 5 s; is the main loop pumping?",
                   params_.title, sequence);
    }
  }

  bool pump(std::chrono::milliseconds budget) override {
    if (quit_) {  // the caller may keep pumping while the run drains: do not spin
      std::this_thread::sleep_for(budget);
      return false;
    }
    std::vector<View> views;
    std::int64_t sequence = -1;
    {
      // Not woken by release(): after it no frame comes, and waiting the
      // budget keeps a caller that pumps until the end from spinning.
      std::unique_lock lock(mutex_);
      frame_ready_.wait_for(lock, budget, [&] { return has_pending_; });
      if (has_pending_) {
        views = std::move(pending_);
        sequence = pending_sequence_;
        has_pending_ = false;
      }
    }
    bool skipped = false;  // paused: the frame is taken but not shown
    if (sequence >= 0) {
      note_frame_time();
      skipped = paused_ && !held_.empty();
      if (!skipped) held_ = std::move(views);
      held_sequence_ = paused_ ? held_sequence_ : sequence;
      dirty_ = true;
    }
    if (!notice_.empty() && Clock::now() > notice_until_) {
      notice_.clear();
      dirty_ = true;
    }
    try {
      if (window_open_ && window_closed()) {
        quit("the window was closed");  // before show(), which would open it again
      } else {
        if (dirty_ && !held_.empty()) show();
        if (window_open_) handle_key(cv::waitKey(1));
      }
    } catch (const cv::Exception& error) {  // the frame still completes
      spdlog::error("display '{}': {}", params_.title, error.what());
    }
    if (sequence >= 0) {
      std::lock_guard lock(mutex_);
      if (skipped) ++stats_.skipped;
      shown_sequence_ = sequence;
      frame_shown_.notify_all();
    }
    return !quit_;
  }

  void release() override {
    std::lock_guard lock(mutex_);
    released_ = true;
    frame_ready_.notify_all();
    frame_shown_.notify_all();
  }

  void finish() override {
    release();
    std::lock_guard lock(mutex_);
    stats_.notes =
        std::to_string(stats_.written) + " frames displayed" +
        (snapshots_ > 0 ? ", " + std::to_string(snapshots_.load()) + " snapshot(s)" : "");
  }
  void abort() noexcept override { release(); }
  pipeline::SinkStats stats() const override {
    std::lock_guard lock(mutex_);
    return stats_;
  }

 private:
  static bool on_main_thread() { return ::syscall(SYS_gettid) == ::getpid(); }

  // A black picture saying what is awaited, until the first frame arrives.
  void open_window() {
    cv::namedWindow(params_.title, cv::WINDOW_AUTOSIZE | cv::WINDOW_GUI_NORMAL);
    cv::moveWindow(params_.title, 0, 0);  // no window manager under Xvfb places it
    window_open_ = true;
    cv::Mat waiting(480, 640, CV_8UC3, cv::Scalar::all(0));
    draw_text_box(waiting, {"waiting for the first frame ..."});
    cv::imshow(params_.title, waiting);
    cv::waitKey(1);
  }

  void show() {
    if (!window_open_) open_window();
    view_ = std::min(view_, static_cast<int>(held_.size()) - 1);
    screen_ = mosaic_ ? labelled_mosaic(held_, kScreenLimit)
                      : fit_within(to_display_bgr(held_[view_].image), kScreenLimit).clone();
    OverlayState state;
    state.have_stats = static_cast<bool>(context_.live_stats);
    if (state.have_stats) state.stats = context_.live_stats();
    if (!state.have_stats || state.stats.fps <= 0) state.stats.fps = own_fps_;
    state.sequence = held_sequence_;
    state.view_name = held_[view_].name;
    state.view_index = view_;
    state.view_count = static_cast<int>(held_.size());
    state.mosaic = mosaic_;
    state.paused = paused_;
    state.notice = notice_;
    draw_text_box(screen_, overlay_lines(params_.overlay, state));
    cv::imshow(params_.title, screen_);
    dirty_ = false;
  }

  void handle_key(int key) {
    const KeyCommand command = command_for_key(key);
    const int count = static_cast<int>(held_.size());
    switch (command.action) {
      case KeyAction::None:
        return;
      case KeyAction::Quit:
        quit("quit requested from the window");
        return;
      case KeyAction::Pause:
        paused_ = !paused_;
        break;
      case KeyAction::NextView:
        view_ = count > 0 ? (view_ + 1) % count : 0;
        mosaic_ = false;
        break;
      case KeyAction::SelectView:
        if (command.view >= count) return;
        view_ = command.view;
        mosaic_ = false;
        break;
      case KeyAction::Mosaic:
        mosaic_ = !mosaic_;
        break;
      case KeyAction::Snapshot:
        save_snapshot();
        break;
    }
    dirty_ = true;
  }

  // A clean stop, like SIGINT: 'q', Esc, or the window manager closing the window.
  void quit(const char* why) {
    quit_ = true;
    spdlog::info("display '{}': {}", params_.title, why);
    if (context_.request_stop) context_.request_stop();
    release_writers();
  }

  // Closed by the window manager (its close button, `wmctrl -c`): Qt has
  // deleted the window (visible 0). A backend without the property says -1:
  // never taken for a close.
  bool window_closed() const {
    const double visible = cv::getWindowProperty(params_.title, cv::WND_PROP_VISIBLE);
    return visible >= 0 && visible < 1;
  }

  void release_writers() {
    std::lock_guard lock(mutex_);
    frame_shown_.notify_all();
  }

  void save_snapshot() {
    if (screen_.empty()) return;
    std::string path;
    const bool ok = write_snapshot(screen_, held_sequence_, path);
    notice_ = (ok ? "saved " : "could not save ") + path;
    notice_until_ = Clock::now() + kNoticeTime;
    if (ok) ++snapshots_;
  }

  // Frames per second on screen, for when the runner gives no live figures.
  void note_frame_time() {
    const auto now = Clock::now();
    if (last_frame_time_ != Clock::time_point{}) {
      intervals_.add(std::chrono::duration<double>(now - last_frame_time_).count());
      const double mean = intervals_.summary().mean;
      own_fps_ = mean > 0 ? 1.0 / mean : 0;
    }
    last_frame_time_ = now;
  }

  std::string name_;
  std::string input_;
  Params params_;
  pipeline::SinkContext context_;

  // Shared between write() and pump().
  mutable std::mutex mutex_;
  std::condition_variable frame_ready_;
  std::condition_variable frame_shown_;
  std::vector<View> pending_;
  std::int64_t pending_sequence_ = -1;
  bool has_pending_ = false;
  std::int64_t shown_sequence_ = -1;
  bool released_ = false;
  bool warned_ = false;
  pipeline::SinkStats stats_;
  std::atomic<bool> quit_{false};

  // Main thread only.
  std::vector<View> held_;  // the frame on screen
  std::int64_t held_sequence_ = 0;
  cv::Mat screen_;  // exactly what the window shows
  bool window_open_ = false;
  bool dirty_ = false;
  bool paused_ = false;
  bool mosaic_ = false;
  int view_ = 0;
  std::string notice_;
  Clock::time_point notice_until_{};
  std::atomic<int> snapshots_{0};
  metrics::SlidingWindow intervals_{30};
  Clock::time_point last_frame_time_{};
  double own_fps_ = 0;
};

const config::RegisterSink kRegistration(
    {{"display",
      "a live window with a statistics overlay; keys switch between the feature maps",
      {{"title", "text (Conveyor)", "the window's title"},
       {"overlay", "a list of fps, latency, drops, frame (none)", "what the overlay shows"}},
      "{type: display, title: Edges, overlay: [fps, latency, drops]}"},
     true,
     true,
     true,
     read_params,
     [](const config::SinkSpec& spec) { return std::make_unique<DisplaySink>(spec); },
     {}});

}  // namespace
}  // namespace conveyor::sinks
