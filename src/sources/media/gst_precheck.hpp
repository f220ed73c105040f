// Checks a `gstreamer` source's description with GStreamer itself before
// OpenCV opens it. OpenCV 4.6 waits without a limit for a pipeline to start
// (gst_element_get_state with no timeout) and for each sample, so a pipeline
// with an unknown element, a syntax error, an element that fails or a source
// that never sends would hang `run` and `validate`. Here the description is
// parsed (the error names the element or the fault), the pipeline is played
// until its first buffer reaches the sink, an error, end of stream or the
// timeout, and is torn down again; only then does OpenCV get it.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace cv {
class Mat;
class VideoCapture;
}  // namespace cv

namespace conveyor::sources {

// Throws pipeline::InputError naming the description and the reason when the
// pipeline cannot be parsed, has no appsink, fails to start, ends or errors
// before its first frame, or delivers none within `timeout`. Without GStreamer
// development files at build time it only checks that the text is not empty.
void precheck_gstreamer_pipeline(const std::string& description, std::chrono::milliseconds timeout);

// The pre-check, then cv::VideoCapture::open(CAP_GSTREAMER) on a helper
// thread bounded by `timeout`: past it the thread is left behind (it cannot be
// interrupted) and an InputError is thrown. Returns an opened capture.
std::shared_ptr<cv::VideoCapture> open_gstreamer_capture(const std::string& description,
                                                         std::chrono::milliseconds timeout);

// capture->read() on a helper thread bounded by `timeout` (OpenCV waits for a
// sample without a limit). Frame: `image` is set. Ended: end of stream or an
// error. Stalled: nothing within `timeout`; the thread is left behind holding
// the capture, which must not be used (nor released) again.
enum class GstRead { Frame, Ended, Stalled };
GstRead read_gstreamer_frame(const std::shared_ptr<cv::VideoCapture>& capture, cv::Mat& image,
                             std::chrono::milliseconds timeout);

}  // namespace conveyor::sources
