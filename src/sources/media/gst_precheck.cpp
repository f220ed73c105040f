#include "gst_precheck.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <opencv2/videoio.hpp>
#include <thread>

#include "conveyor/pipeline/errors.hpp"

#ifdef CONVEYOR_HAVE_GSTREAMER
#include <gst/gst.h>

#include <cstring>
#include <memory>
#endif

namespace conveyor::sources {
namespace {

using pipeline::InputError;

std::string message(const std::string& description, const std::string& reason) {
  return "gstreamer pipeline '" + description + "': " + reason;
}

// The pipeline did not start or deliver: it may by run time.
[[noreturn]] void fail(const std::string& description, const std::string& reason) {
  throw InputError(message(description, reason));
}

// The description itself is wrong: it never works.
[[noreturn]] void invalid(const std::string& description, const std::string& reason) {
  throw pipeline::InvalidInputError(message(description, reason));
}

#ifdef CONVEYOR_HAVE_GSTREAMER

struct ErrorFree {
  void operator()(GError* e) const { g_error_free(e); }
};
struct ObjectUnref {
  void operator()(gpointer o) const { gst_object_unref(o); }
};
struct MessageUnref {
  void operator()(GstMessage* m) const { gst_message_unref(m); }
};
using ErrorPtr = std::unique_ptr<GError, ErrorFree>;
using MessagePtr = std::unique_ptr<GstMessage, MessageUnref>;

// The parse error, with what to do about the common ones.
std::string parse_reason(const GError& error) {
  std::string reason = error.message ? error.message : "cannot be parsed";
  if (error.domain != GST_PARSE_ERROR) return reason;
  switch (error.code) {
    case GST_PARSE_ERROR_NO_SUCH_ELEMENT:
      return reason + " (an unknown or uninstalled element: check the name with gst-inspect-1.0)";
    case GST_PARSE_ERROR_SYNTAX:
    case GST_PARSE_ERROR_EMPTY:
      return reason +
             " (expected a gst-launch description such as 'videotestsrc ! "
             "videoconvert ! appsink')";
    default:
      return reason;
  }
}

bool is_appsink_name(const char* name) {
  return name && (std::strstr(name, "appsink") || std::strstr(name, "opencvsink"));
}

// The element OpenCV takes as its sink: the first whose name contains
// "appsink" (or "opencvsink"); null when there is none. A new reference.
GstElement* find_appsink(GstElement* element) {
  if (!GST_IS_BIN(element))
    return is_appsink_name(GST_OBJECT_NAME(element)) ? GST_ELEMENT(gst_object_ref(element))
                                                     : nullptr;
  GstElement* found = nullptr;
  GstIterator* it = gst_bin_iterate_recurse(GST_BIN(element));
  GValue value = G_VALUE_INIT;
  while (!found && gst_iterator_next(it, &value) == GST_ITERATOR_OK) {
    auto* child = GST_ELEMENT(g_value_get_object(&value));
    if (is_appsink_name(GST_OBJECT_NAME(child))) found = GST_ELEMENT(gst_object_ref(child));
    g_value_reset(&value);
  }
  g_value_unset(&value);
  gst_iterator_free(it);
  return found;
}

// A prerolled sink holds its first buffer, unless end of stream prerolled it.
bool has_first_sample(GstElement* sink) {
  if (!g_object_class_find_property(G_OBJECT_GET_CLASS(sink), "last-sample")) return true;
  GstSample* sample = nullptr;
  g_object_get(sink, "last-sample", &sample, nullptr);
  if (!sample) return false;
  gst_sample_unref(sample);
  return true;
}

std::string error_reason(GstMessage* message) {
  GError* raw = nullptr;
  gchar* debug = nullptr;
  gst_message_parse_error(message, &raw, &debug);
  ErrorPtr error(raw);
  const char* name = GST_MESSAGE_SRC(message) ? GST_OBJECT_NAME(GST_MESSAGE_SRC(message)) : nullptr;
  std::string reason = std::string("element '") + (name ? name : "?") +
                       "' failed: " + (error && error->message ? error->message : "error");
  if (debug) {  // "file(line): function (): /object/path:\nthe useful part"
    const std::string detail(debug);
    const auto newline = detail.rfind('\n');
    reason += " (" + (newline == std::string::npos ? detail : detail.substr(newline + 1)) + ")";
  }
  g_free(debug);
  return reason;
}

// Plays the pipeline until a first buffer prerolls the sink; "" when it did
// (`prerolled`) or when the change to PLAYING was done at once (sinks with
// async=false: nothing to wait for; OpenCV's reads are bounded instead).
std::string play_until_first_buffer(GstElement* pipeline, std::chrono::milliseconds timeout,
                                    bool& prerolled) {
  prerolled = false;
  std::unique_ptr<GstBus, ObjectUnref> bus(gst_element_get_bus(pipeline));
  const GstStateChangeReturn change = gst_element_set_state(pipeline, GST_STATE_PLAYING);
  if (change == GST_STATE_CHANGE_SUCCESS) return "";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto kinds =
      static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS | GST_MESSAGE_ASYNC_DONE);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(
        deadline - std::chrono::steady_clock::now());
    // A failed state change has posted its error: collect it without waiting.
    const GstClockTime wait = change == GST_STATE_CHANGE_FAILURE || left.count() <= 0
                                  ? 0
                                  : static_cast<GstClockTime>(left.count());
    MessagePtr message(gst_bus_timed_pop_filtered(bus.get(), wait, kinds));
    if (!message) {
      if (change == GST_STATE_CHANGE_FAILURE) return "failed to start (no error was reported)";
      return "delivered no frame within " + std::to_string(timeout.count()) +
             " ms (is the source reachable and sending?)";
    }
    switch (GST_MESSAGE_TYPE(message.get())) {
      case GST_MESSAGE_ERROR:
        return error_reason(message.get());
      case GST_MESSAGE_EOS:
        return "ended before its first frame";
      default:  // ASYNC_DONE of the pipeline: the sinks have a buffer (or EOS)
        if (GST_MESSAGE_SRC(message.get()) == GST_OBJECT(pipeline)) {
          prerolled = true;
          return "";
        }
    }
  }
}

#endif

// What the opening thread shares with the caller; it outlives an abandoned wait.
struct OpenState {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::string failure;  // cv::Exception text
  std::shared_ptr<cv::VideoCapture> capture = std::make_shared<cv::VideoCapture>();
};

// One bounded read: the helper thread's result, kept alive by whichever ends last.
struct ReadState {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  bool ok = false;
  cv::Mat image;
};

}  // namespace

void precheck_gstreamer_pipeline(const std::string& description,
                                 std::chrono::milliseconds timeout) {
  if (description.find_first_not_of(" \t\r\n") == std::string::npos)
    invalid(description, "the description is empty; expected e.g. 'videotestsrc ! appsink'");
#ifdef CONVEYOR_HAVE_GSTREAMER
  GError* raw = nullptr;
  if (!gst_init_check(nullptr, nullptr, &raw)) {
    ErrorPtr error(raw);
    fail(description, std::string("GStreamer cannot be initialized: ") +
                          (error && error->message ? error->message : "unknown error"));
  }
  GstElement* parsed =
      gst_parse_launch_full(description.c_str(), nullptr, GST_PARSE_FLAG_FATAL_ERRORS, &raw);
  ErrorPtr error(raw);
  if (parsed) gst_object_ref_sink(parsed);
  std::unique_ptr<GstElement, ObjectUnref> pipeline(parsed);
  if (error || !pipeline) invalid(description, error ? parse_reason(*error) : "cannot be parsed");
  std::unique_ptr<GstElement, ObjectUnref> sink(find_appsink(pipeline.get()));
  if (!sink)
    invalid(description,
            "has no element named like appsink (OpenCV finds its sink by that name: "
            "end it with '! videoconvert ! appsink' and do not rename it)");
  bool prerolled = false;
  std::string reason = play_until_first_buffer(pipeline.get(), timeout, prerolled);
  if (prerolled && !has_first_sample(sink.get())) reason = "ended before its first frame";
  gst_element_set_state(pipeline.get(), GST_STATE_NULL);
  if (!reason.empty()) fail(description, reason);
#else
  (void)timeout;
#endif
}

std::shared_ptr<cv::VideoCapture> open_gstreamer_capture(const std::string& description,
                                                         std::chrono::milliseconds timeout) {
  precheck_gstreamer_pipeline(description, timeout);
  auto state = std::make_shared<OpenState>();
  std::thread([state, description] {
    std::string failure;
    try {
      state->capture->open(description, cv::CAP_GSTREAMER);
    } catch (const cv::Exception& e) {
      failure = e.what();
    }
    const std::lock_guard lock(state->mutex);
    state->failure = failure;
    state->done = true;
    state->done_cv.notify_all();
  }).detach();
  std::unique_lock lock(state->mutex);
  if (!state->done_cv.wait_for(lock, timeout, [&] { return state->done; }))
    fail(description, "OpenCV did not open it within " + std::to_string(timeout.count()) +
                          " ms (it started when checked alone; is the source still there?)");
  if (!state->failure.empty()) fail(description, state->failure);
  if (!state->capture->isOpened())
    fail(description,
         "OpenCV failed to start it (its caps may not convert: add 'videoconvert ! "
         "video/x-raw,format=BGR' before appsink; run it with gst-launch-1.0 to see why)");
  return state->capture;
}

GstRead read_gstreamer_frame(const std::shared_ptr<cv::VideoCapture>& capture, cv::Mat& image,
                             std::chrono::milliseconds timeout) {
  auto state = std::make_shared<ReadState>();
  std::thread([state, capture] {
    cv::Mat got;  // fresh: appsink buffers are not ours to keep
    bool ok = false;
    try {
      ok = capture->read(got) && !got.empty();
    } catch (const cv::Exception& e) {
      spdlog::warn("gstreamer: read failed: {}", e.what());
    }
    const std::lock_guard lock(state->mutex);
    state->ok = ok;
    state->image = std::move(got);
    state->done = true;
    state->done_cv.notify_all();
  }).detach();
  std::unique_lock lock(state->mutex);
  if (!state->done_cv.wait_for(lock, timeout, [&] { return state->done; })) return GstRead::Stalled;
  if (!state->ok) return GstRead::Ended;
  image = std::move(state->image);
  return GstRead::Frame;
}

}  // namespace conveyor::sources
