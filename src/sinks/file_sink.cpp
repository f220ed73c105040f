/* Sink `file`: a video file written with FFmpeg's libraries (see
 * video_encoder.hpp for why not through OpenCV).
 *
 * Inputs:  CV_8UC1, CV_8UC3 or CV_32FC1/3 maps of one size (the first frame's).
 * Outputs: one video file: gray maps as gray video (the luma plane; FFV1
 *          stores plain gray), colour maps as colour, float maps saturated to
 *          8 bits.
 * Parameters: path (.mkv: FFV1 lossless, .mp4: mp4v, .avi: MJPG), fourcc
 *          (overrides the codec), fps (default: the source's).
 *
 *   sinks:
 *     - { type: file, path: out/edges.mkv }
 *     - { type: file, path: out/edges.avi, fourcc: MJPG, fps: 25 }
 *
 * Safety: the writer opens at the first frame on
 * `.<name>.partial.<host>.<pid>.<random>.<ext>` (util/temp_names.hpp)
 * in the output folder (created if missing) and the file is renamed into
 * place only after a successful release(); abort() deletes it. A frame whose
 * size, type or channels differ from the first frame's is refused with an
 * OutputError. 4:2:0 video cannot hold odd widths and heights, so odd-sized
 * frames are padded by one replicated column/row (nothing is lost; the file
 * is one pixel larger, noted in the stats).
 * Verification: finish() reopens the finished temporary file, decodes its
 * first frame (it must decode, at the size written) and counts its frames; any
 * difference from the frames written — for every codec, the lossy defaults
 * included, since none of them may merge or drop frames at a constant rate —
 * is an OutputError, and the file is removed. Only a verified file is renamed
 * into place and named in stats().output; a sink that encoded no frame leaves
 * nothing. A full disk, an I/O error or a read-only filesystem while writing
 * is a PersistentOutputError: the run stops at once.
 */
#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/pipeline/errors.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/util/fourcc.hpp"
#include "conveyor/util/shared_path.hpp"
#include "encoder_probe.hpp"
#include "file_checks.hpp"
#include "frame_convert.hpp"
#include "video_decoder.hpp"
#include "video_encoder.hpp"

namespace conveyor::sinks {
namespace {

namespace fs = std::filesystem;
using namespace config::pipeline_detail;
using namespace io;
using pipeline::OutputError;

struct Params final : config::SinkParams {
  std::string path;           // relative paths: to the working directory
  std::string fourcc;         // as written, or the extension's default
  std::optional<double> fps;  // default: the source's

  std::vector<config::NodePath> paths() const override {
    return {{"path", util::FileSet::file(path)}};
  }
  std::string describe() const override { return path + " (" + fourcc + ")"; }
};

std::shared_ptr<const config::SinkParams> read_params(Context& ctx, MapReader& map) {
  auto params = std::make_shared<Params>();
  auto path = map.required("path", "the video file to write (.mkv, .mp4 or .avi)");
  if (path) read_string(ctx, *path, params->path, "a file path");
  if (auto v = map.get("fourcc")) {
    read_fourcc(ctx, *v, params->fourcc, "e.g. FFV1, mp4v or MJPG");
  } else if (path && !params->path.empty()) {
    params->fourcc = util::default_fourcc(params->path);
    if (params->fourcc.empty())
      ctx.error(path->mark, path->path + ": '" + params->path +
                                "' has no known video extension; expected " +
                                util::default_fourcc_extensions() + ", or a fourcc: key");
  }
  if (auto v = map.get("fps")) {
    double fps = 0;
    if (read_fps(ctx, *v, fps)) params->fps = fps;
  }
  return params;
}

// FFmpeg's real encoder and muxer, before the first frame (validate and run).
void probe(const config::SinkSpec& sink, std::size_t index, const config::SinkInput& input,
           bool size_known) {
  const auto& params = sink.as<Params>();
  const std::string ext = lower_extension(params.path);
  const std::string failure =
      probe_video_encoder(ext, params.fourcc, params.fps.value_or(30.0), input, index);
  if (failure.empty()) return;
  const std::string key = "sinks." + std::to_string(index);
  const bool fourcc_written = sink.where.keys.count("fourcc") > 0;
  const std::string frames = size_known ? " for the " + std::to_string(input.width) + "x" +
                                              std::to_string(input.height) + " frames it receives"
                                        : "";
  throw config::PipelineError(
      sink.where.of(fourcc_written ? "fourcc" : "path"),
      key +
          (fourcc_written
               ? ".fourcc: '" + params.fourcc + "' in a " + ext + " file"
               : ".path: '" + params.path + "' (its default fourcc " + params.fourcc + ")") +
          frames + ": FFmpeg refuses it: " + failure +
          "; expected a fourcc FFmpeg can encode into that container at that size (" +
          util::default_fourcc_list() + ")");
}

class FileSink final : public pipeline::Sink {
 public:
  explicit FileSink(const config::SinkSpec& spec)
      : params_(spec.as<Params>()), path_(params_.path) {}
  ~FileSink() override {
    if (writer_.is_open()) abort();
  }

  void open(const pipeline::SinkContext& context) override {
    if (!util::is_fourcc(params_.fourcc)) {
      throw OutputError("video file '" + path_.string() + "': no codec for '" +
                        path_.extension().string() + "'; use " + util::default_fourcc_extensions() +
                        ", or set fourcc");
    }
    const double fps = params_.fps.value_or(context.fps);
    fps_ = std::isfinite(fps) && fps > 0 && fps <= 1000 ? fps : 30.0;
    ensure_parent_folder(path_, "video file");
    std::error_code ec;
    if (fs::is_directory(path_, ec))
      throw OutputError("video file '" + path_.string() + "': is a directory");
  }

  void write(const cv::Mat& image, std::int64_t sequence) override {
    if (finished_) throw OutputError("video file '" + path_.string() + "': already finished");
    if (image.empty())
      throw OutputError("video file '" + path_.string() + "': frame " + std::to_string(sequence) +
                        " is empty");
    if (!writer_.is_open()) open_writer(image);
    if (image.size() != first_size_ || image.type() != first_type_) {
      ++stats_.rejected;
      throw OutputError("video file '" + path_.string() + "': frame " + std::to_string(sequence) +
                        " is " + describe_mat(image) + ", the file was opened for " +
                        describe_mat(cv::Mat(first_size_, first_type_)) + "; frame refused");
    }
    cv::Mat eight = to_capture_format(image, color_);
    if (eight.size() != encoded_size_) {
      cv::copyMakeBorder(eight, eight, 0, encoded_size_.height - eight.rows, 0,
                         encoded_size_.width - eight.cols, cv::BORDER_REPLICATE);
    }
    try {
      writer_.write(eight);
    } catch (const pipeline::PersistentOutputError& e) {
      ++stats_.rejected;
      broken_ = true;  // the run stops; finish() removes the file
      throw pipeline::PersistentOutputError("video file '" + path_.string() + "': writing frame " +
                                            std::to_string(sequence) + " failed: " + e.what());
    } catch (const std::exception& e) {
      ++stats_.rejected;
      throw OutputError("video file '" + path_.string() + "': writing frame " +
                        std::to_string(sequence) + " failed: " + e.what());
    }
    ++stats_.written;
  }

  void finish() override {
    if (finished_) return;
    finished_ = true;
    if (broken_) {  // its error already ended the run: say it once
      abort();
      stats_.notes = "not finalized after a write error; no file left";
      return;
    }
    if (!writer_.is_open() || stats_.written == 0) {
      // Not one frame was encoded (e.g. the first write failed): a file of
      // headers only is no output; nothing is left at the final path.
      abort();
      stats_.notes = "no frames: nothing written";
      spdlog::warn("video file '{}': no frames written; no file left", path_.string());
      return;
    }
    try {
      writer_.finish();
    } catch (const std::exception& e) {
      temporary_.remove_file();
      throw OutputError("video file '" + path_.string() + "': finalizing failed: " + e.what());
    }
    const fs::path temporary = temporary_.get();
    std::error_code ec;
    if (fs::file_size(temporary, ec) == 0 || ec) {
      temporary_.remove_file();
      throw OutputError("video file '" + path_.string() + "': the encoder produced an empty file");
    }
    // Verified before it takes the final name: a file that does not read
    // back is removed, never left (or reported) as an output.
    try {
      verify(temporary);
    } catch (...) {
      temporary_.remove_file();
      throw;
    }
    rename_into_place(temporary, path_, "video file");
    temporary_.clear();
    stats_.output = path_.string();
  }

  void abort() noexcept override {
    writer_.abort();
    temporary_.remove_file();
    finished_ = true;
  }

  pipeline::SinkStats stats() const override { return stats_; }

  std::vector<std::string> temporary_files() const override {
    return temporary_.files();  // called by the emergency exit's thread
  }
  void abandon_temporaries() noexcept override { temporary_.abandon(); }

 private:
  void open_writer(const cv::Mat& first) {
    first_size_ = first.size();
    first_type_ = first.type();
    color_ = first.channels() == 1 ? config::ColorMode::Gray : config::ColorMode::Bgr;
    // 4:2:0 video needs even sizes: pad, never crop.
    encoded_size_ = encodable_size(first.size());
    if (encoded_size_ != first_size_) {
      stats_.notes = "frames padded from " + std::to_string(first.cols) + "x" +
                     std::to_string(first.rows) + " to " + std::to_string(encoded_size_.width) +
                     "x" + std::to_string(encoded_size_.height) + " (FFmpeg needs even sizes)";
      spdlog::warn("video file '{}': {}", path_.string(), stats_.notes);
    }
    const fs::path temporary = temporary_path_for(path_);
    EncoderSettings settings;
    settings.fourcc = params_.fourcc;
    settings.fps = fps_;
    settings.size = encoded_size_;
    settings.color = color_ == config::ColorMode::Bgr;
    bool created = false;
    try {
      created = temporary_.create(temporary, [&] { writer_.open(temporary.string(), settings); });
    } catch (const std::exception& e) {
      temporary_.remove_file();
      broken_ = true;  // the run stops on it (its first frame); said once
      throw OutputError("video file '" + path_.string() +
                        "': FFmpeg cannot open a writer for fourcc " + params_.fourcc + " in a " +
                        lower_extension(path_) + " container at " +
                        std::to_string(encoded_size_.width) + "x" +
                        std::to_string(encoded_size_.height) + ": " + e.what());
    }
    if (!created) {
      broken_ = true;
      throw OutputError("video file '" + path_.string() +
                        "': not started: the run is aborting without finalizing outputs");
    }
    spdlog::debug("video file '{}': writing {} ({}) {}x{} at {} fps to {}", path_.string(),
                  params_.fourcc, writer_.codec_name(), encoded_size_.width, encoded_size_.height,
                  fps_, temporary.string());
  }

  // Reopens the finished file: the first frame is decoded to check its size,
  // then the stored frames are counted, never trusting the header. Counting
  // demuxes without decoding (one packet per frame for the codecs written
  // here: no B-frames), a few milliseconds where decoding the file again took
  // a quarter of a second per 300 720p frames.
  void verify(const fs::path& file) {
    VideoDecoder check;
    if (const auto failure = check.open(file.string(), DecoderOptions{}))
      throw OutputError("video file '" + path_.string() + "': written but cannot be reopened (" +
                        *failure + ")");
    cv::Mat first;
    const DecodeResult result = check.next(&first, color_);
    check.close();
    if (result != DecodeResult::Frame && stats_.written > 0) {
      throw OutputError("video file '" + path_.string() +
                        "': verification failed: the first frame cannot be decoded");
    }
    if (!first.empty() && first.size() != encoded_size_) {
      throw OutputError("video file '" + path_.string() +
                        "': verification failed: frames read back as " + describe_mat(first) +
                        ", written as " + std::to_string(encoded_size_.width) + "x" +
                        std::to_string(encoded_size_.height));
    }
    const std::int64_t frames = count_video_packets(file.string());
    if (frames != stats_.written) {
      throw OutputError("video file '" + path_.string() +
                        "': verification failed: " + std::to_string(stats_.written) +
                        " frames written, " + std::to_string(frames) + " stored");
    }
    const std::string verified = "verified: " + std::to_string(frames) + " frames";
    stats_.notes = stats_.notes.empty() ? verified : verified + "; " + stats_.notes;
  }

  Params params_;
  fs::path path_;
  double fps_ = 30;
  VideoEncoder writer_;
  config::ColorMode color_ = config::ColorMode::Bgr;  // from the first frame
  util::SharedPath temporary_;                        // read by the signal watcher too
  cv::Size first_size_;
  int first_type_ = 0;
  cv::Size encoded_size_;
  bool finished_ = false;
  bool broken_ = false;  // the storage failed for good
  pipeline::SinkStats stats_;
};

const config::RegisterSink kRegistration(
    {{"file",
      "a video file written by FFmpeg, renamed into place only once verified",
      {{"path", "a file path (required)", ".mkv: FFV1 lossless, .mp4: mp4v, .avi: MJPG"},
       {"fourcc", "four characters (from the extension)", "the codec, e.g. FFV1, mp4v, MJPG"},
       {"fps", "0 < fps <= 1000 (the source's)", "the file's frame rate"}},
      "{type: file, path: out/edges.mkv}"},
     true,
     false,
     false,
     read_params,
     [](const config::SinkSpec& spec) { return std::make_unique<FileSink>(spec); },
     probe});

}  // namespace
}  // namespace conveyor::sinks
