/* Source `file`: a video file decoded by FFmpeg's libraries (see
 * video_decoder.hpp for why not through OpenCV), with open and read timeouts.
 *
 * Inputs:  a video file (.mkv, .mp4, .avi, ...).
 * Outputs: frames as CV_8UC1 (color: gray) or CV_8UC3 BGR (color: bgr), each
 *          numbered by its index in the file; Gap for frames lost to decoding.
 * Parameters: path; start (first index); end (one past the last); loop;
 *          read_retries; open_timeout_ms; read_timeout_ms.
 *
 *   source: { type: file, path: clips/in.mkv, start: 30, end: 330, loop: false,
 *             read_retries: 5, color: bgr }
 *
 * Frames are counted here: the header's frame count and fps are hints only.
 * Read-failure policy: a packet that cannot be decoded (or a read that fails
 * or times out) is not the end of the file. A failure is retried up to
 * read_retries times in a row; if a later read succeeds, every failed read
 * before it counts as one lost frame (Gap, one index each), then the frame
 * follows. On damaged MP4s each failure is exactly one dropped packet, so
 * frames + gaps add up to the header count. The real end of the stream ends
 * at once; so do read_retries failures in a row. The count is then compared
 * with the header and the difference noted.
 */
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/source.hpp"
#include "conveyor/util/rate_limited_log.hpp"
#include "file_checks.hpp"
#include "video_decoder.hpp"

namespace conveyor::sources {
namespace {

using namespace config::pipeline_detail;
using namespace io;
using pipeline::InputError;
using pipeline::ReadStatus;

constexpr double kDefaultFps = 30;

struct Params final : config::SourceParams {
  std::string path;                 // relative paths: to the working directory
  std::int64_t start = 0;           // first frame index read
  std::optional<std::int64_t> end;  // one past the last frame; none: to the end
  bool loop = false;                // rewind at the end (endless run)
  int read_retries = 50;            // failed reads in a row before end (B-frame streams need ~10)
  int open_timeout_ms = 10000;
  int read_timeout_ms = 10000;

  std::vector<config::NodePath> paths() const override {
    if (path.empty()) return {};
    return {{"path", util::FileSet::file(path)}};
  }
  std::string describe() const override { return path; }
  bool probing_consumes_input() const override { return is_consumed_by_reading(path); }
};

void read_range(Context& ctx, MapReader& map, Params& params) {
  if (auto v = map.get("start"))
    read_int(ctx, *v, std::int64_t{0}, INT64_MAX, params.start, "a frame index >= 0");
  if (auto v = map.get("end")) {
    std::int64_t end = 0;
    if (read_int(ctx, *v, std::int64_t{1}, INT64_MAX, end,
                 "a frame index above start (exclusive end)")) {
      if (end <= params.start) {
        ctx.error(v->mark, v->path + ": " + describe(v->node) + " is not after start " +
                               std::to_string(params.start) + "; expected an end above start");
      }
      params.end = end;
    }
  }
}

std::shared_ptr<const config::SourceParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<Params>();
  if (auto v = map.required("path", "the video file to read"))
    read_string(ctx, *v, params->path, "a file path");
  read_range(ctx, map, *params);
  if (auto v = map.get("loop")) read_bool(ctx, *v, params->loop);
  if (auto v = map.get("read_retries"))
    read_int(ctx, *v, 0, 1000, params->read_retries, "an integer from 0 to 1000");
  if (auto v = map.get("open_timeout_ms"))
    read_int(ctx, *v, 1, 600000, params->open_timeout_ms, "milliseconds from 1 to 600000");
  if (auto v = map.get("read_timeout_ms"))
    read_int(ctx, *v, 1, 600000, params->read_timeout_ms, "milliseconds from 1 to 600000");
  return params;
}

class FileSource final : public pipeline::Source {
 public:
  explicit FileSource(const config::SourceSpec& spec)
      : params_(spec.as<Params>()), color_(spec.color) {}

  void open() override {
    {
      // Held until the decoder has the file: a named pipe keeps a reader.
      const InputHold hold = check_readable_file(
          params_.path, "video file", std::chrono::milliseconds(params_.open_timeout_ms));
      open_decoder();
    }
    header_fps_ = decoder_.header_fps();
    stats_.header_frames = decoder_.header_frames();
    // Decode the first frame now: a file that opens but yields nothing
    // (random bytes a demuxer accepted, a header without frames) is an input
    // error, not an empty run.
    if (!skip_to_start()) {
      throw InputError("video file '" + params_.path + "': start " + std::to_string(params_.start) +
                       " is past the end of the stream (" + std::to_string(next_index_) +
                       " frames)");
    }
    if (!fetch(pending_, true)) {
      throw InputError("video file '" + params_.path + "': no frame could be decoded" +
                       (next_index_ > 0 ? " after frame " + std::to_string(next_index_) : ""));
    }
    clip_to_range();
  }

  ReadStatus read(cv::Mat& frame, std::int64_t& source_index) override {
    for (;;) {
      if (pending_gaps_ > 0) {
        --pending_gaps_;
        source_index = gap_index_++;
        ++stats_.gaps;
        return ReadStatus::Gap;
      }
      if (!pending_.empty()) {
        frame = pending_;  // already in the capture format, in its own buffer
        pending_.release();
        source_index = pending_index_;
        ++stats_.frames;
        ++pass_frames_;
        return ReadStatus::Frame;
      }
      if (!ended_ && in_range() && fetch(pending_, true)) {
        clip_to_range();
      } else if (!restart_loop()) {
        return finish_stream();
      }
    }
  }

  std::optional<std::int64_t> expected_frames() const override {
    if (params_.loop) return std::nullopt;
    if (params_.end) return *params_.end - params_.start;
    if (stats_.header_frames)
      return std::max<std::int64_t>(0, *stats_.header_frames - params_.start);
    return std::nullopt;
  }

  double fps() const override {
    return header_fps_ > 1 && header_fps_ <= 240 ? header_fps_ : kDefaultFps;
  }

  pipeline::SourceStats stats() const override { return stats_; }

  std::string describe() const override {
    const int turned = decoder_.rotation();
    return "file " + std::filesystem::path(params_.path).filename().string() + " (FFmpeg" +
           (turned != 0 ? ", turned " + std::to_string(turned) + " degrees upright" : "") + ")";
  }

  void close() override { decoder_.close(); }

 private:
  void open_decoder() {
    DecoderOptions options;
    options.open_timeout_ms = params_.open_timeout_ms;
    options.read_timeout_ms = params_.read_timeout_ms;
    const auto failure = decoder_.open(params_.path, options);
    if (!failure) return;
    std::string reason = "FFmpeg cannot open it as a video (" + *failure +
                         "; not a video file, a damaged header, an unsupported codec, "
                         "or no answer within " +
                         std::to_string(params_.open_timeout_ms) + " ms)";
    if (mp4_index_missing(params_.path))
      reason = "the MP4 has no index (moov atom): its writer was stopped before finalizing";
    throw InputError("video file '" + params_.path + "': " + reason);
  }

  bool in_range() const { return !params_.end || next_index_ < *params_.end; }

  // Decodes (or, when skipping, only grabs) the frame at next_index_ under the
  // retry policy. Returns false at the end of the stream; on a recovery after
  // failed reads, queues one Gap per failed read before the frame.
  bool fetch(cv::Mat& out, bool decode) {
    int failures = 0;
    for (;;) {
      cv::Mat image;  // fresh each time: the frame leaves with its own buffer
      DecodeResult result = DecodeResult::Failed;
      try {
        result = decoder_.next(decode ? &image : nullptr, color_);
      } catch (const cv::Exception& e) {
        util::frame_warnings().warn("conversion error in " + params_.path,
                                    fmt::format("{}: conversion error at frame {}: {}",
                                                params_.path, next_index_ + failures, e.what()));
      }
      if (result == DecodeResult::Frame) {
        if (failures > 0) {
          util::frame_warnings().warn(
              "decode_gap in " + params_.path,
              fmt::format("{}: {} unreadable frame(s) before frame {}, counted as decode gaps ({})",
                          params_.path, failures, next_index_ + failures, decoder_.last_error()));
        }
        if (decode) {
          pending_gaps_ = failures;
          gap_index_ = next_index_;
        }
        next_index_ += failures;
        pending_index_ = next_index_++;
        out = image;
        return true;
      }
      if (result == DecodeResult::End || failures++ >= params_.read_retries) {
        if (result == DecodeResult::Failed) {
          spdlog::warn("{}: {} failed reads in a row after frame {}, taken as the end ({})",
                       params_.path, failures, next_index_, decoder_.last_error());
        }
        ended_ = true;
        return false;
      }
    }
  }

  // Gaps and the frame after them may run past `end`: keep only what is inside.
  void clip_to_range() {
    if (!params_.end) return;
    if (pending_index_ >= *params_.end) pending_.release();
    pending_gaps_ =
        static_cast<int>(std::clamp<std::int64_t>(*params_.end - gap_index_, 0, pending_gaps_));
  }

  // Seeks by grabbing: CAP_PROP_POS_FRAMES seeks to key frames only.
  bool skip_to_start() {
    cv::Mat unused;
    while (next_index_ < params_.start) {
      if (!fetch(unused, false)) return false;
    }
    return true;
  }

  // Loop mode: reopen and start again, unless the last pass gave nothing.
  bool restart_loop() {
    if (!params_.loop || pass_frames_ == 0) return false;
    note_pass_end();
    open_decoder();
    next_index_ = 0;
    pass_frames_ = 0;
    ended_ = false;
    return skip_to_start();
  }

  ReadStatus finish_stream() {
    if (!finished_) {
      finished_ = true;
      note_pass_end();
    }
    return ReadStatus::End;
  }

  // Compares where the stream ended with what was asked for and claimed.
  void note_pass_end() {
    std::string note;
    if (params_.end && next_index_ < *params_.end) {
      note = "stream ended at frame " + std::to_string(next_index_) + " before the requested end " +
             std::to_string(*params_.end);
    } else if (!params_.end && ended_ && stats_.header_frames &&
               next_index_ != *stats_.header_frames) {
      note = "stream ended after " + std::to_string(next_index_) + " frames" +
             (stats_.gaps > 0 ? " (" + std::to_string(stats_.gaps) + " undecodable)" : "") +
             "; header said " + std::to_string(*stats_.header_frames);
    }
    // Only noted here: the runner prints the notes once, at the end of the run.
    if (note.empty() || stats_.notes.find(note) != std::string::npos) return;
    stats_.notes += (stats_.notes.empty() ? "" : "; ") + note;
  }

  Params params_;
  config::ColorMode color_;
  VideoDecoder decoder_;
  double header_fps_ = 0;
  pipeline::SourceStats stats_;
  std::int64_t next_index_ = 0;  // index the next fetched frame (or gap) gets
  cv::Mat pending_;              // decoded, not yet delivered
  std::int64_t pending_index_ = 0;
  int pending_gaps_ = 0;  // gaps to report before `pending_`
  std::int64_t gap_index_ = 0;
  std::int64_t pass_frames_ = 0;  // frames delivered since the last (re)open
  bool ended_ = false;
  bool finished_ = false;
};

const config::RegisterSource kRegistration(
    {{"file",
      "a video file (.mkv, .mp4, .avi, ...) decoded by FFmpeg, with read timeouts",
      {{"path", "a file path (required)", "the video; relative to the working directory"},
       {"start", "frame index >= 0 (0)", "first frame read"},
       {"end", "frame index > start (the end)", "one past the last frame read"},
       {"loop", "true | false (false)", "rewind at the end: an endless run"},
       {"read_retries", "0..1000 (50)", "failed reads in a row before the stream ends"},
       {"open_timeout_ms", "1..600000 (10000)", "opening gives up after this"},
       {"read_timeout_ms", "1..600000 (10000)", "one read gives up after this"}},
      "{type: file, path: clips/in.mkv, start: 30, end: 330}"},
     false,
     read_params,
     [](const config::SourceSpec& spec) { return std::make_unique<FileSource>(spec); }});

}  // namespace
}  // namespace conveyor::sources
