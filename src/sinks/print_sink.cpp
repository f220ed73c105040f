/* Sink `print`: one frame's maps as text matrices on stdout, as
 * `conveyor apply --print` prints them.
 *
 * Inputs:  its stage's output; when the stage keeps several maps, each map.
 * Outputs: stdout: each map (colour: each channel, `_b`, `_g`, `_r`) as rows
 *          of numbers; with several, each is preceded by a line
 *          `# <name> <width>x<height>`.
 * Parameters: none.
 *
 *   sinks:
 *     - { type: print, input: detector }
 *
 * It holds one frame: a later frame is refused (writer_reject), so a video
 * cannot flood the terminal. A failed stdout (a closed pipe, a full disk) is
 * an OutputError naming the reason.
 */
#include <iostream>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/util/text_matrix.hpp"
#include "stdout_check.hpp"
#include "view_maps.hpp"

namespace conveyor::sinks {
namespace {

using pipeline::OutputError;

void print_plane(const io::NamedMap& plane, bool with_header) {
  cv::Mat values;
  io::float_values(plane.values, values);
  if (with_header)
    std::cout << "# " << plane.name << " " << values.cols << "x" << values.rows << "\n";
  util::write_text_matrix(std::cout, values.ptr<float>(), values.cols, values.rows,
                          static_cast<std::size_t>(values.cols));
}

class PrintSink final : public pipeline::Sink {
 public:
  void open(const pipeline::SinkContext& context) override { input_maps_ = context.input_maps; }

  void write(const cv::Mat& image, std::int64_t sequence) override {
    write_views({{input_maps_.empty() ? "output" : input_maps_.front(), image}}, sequence);
  }

  void write_views(const std::vector<pipeline::View>& views, std::int64_t sequence) override {
    if (stats_.written > 0) {
      ++stats_.rejected;
      throw OutputError("print shows one frame, frame " + std::to_string(sequence) +
                        " was not printed; expected a source of one picture");
    }
    std::vector<io::NamedMap> planes;
    try {
      for (const auto& map : maps_of_views(views, input_maps_)) {
        for (auto& plane : io::split_channels(map)) planes.push_back(std::move(plane));
      }
      for (const auto& plane : planes) {
        print_plane(plane, planes.size() > 1);
        if (!std::cout) break;  // stdout failed: say so below, do not print on
      }
      io::check_stdout();
    } catch (const OutputError&) {
      ++stats_.rejected;
      throw;
    }
    ++stats_.written;
  }

  void finish() override {
    stats_.notes = std::to_string(stats_.written) + " frame(s) printed";
    if (stats_.written > 0) stats_.output = "stdout";
  }
  void abort() noexcept override {}
  pipeline::SinkStats stats() const override { return stats_; }

 private:
  std::vector<std::string> input_maps_;
  pipeline::SinkStats stats_;
};

const config::RegisterSink kRegistration(
    {{"print",
      "one frame's feature maps as text matrices on stdout, as `conveyor apply --print` "
      "prints them",
      {},
      "{type: print, input: detector}"},
     true,
     true,
     false,
     [](config::Context&, config::MapReader&) { return std::make_shared<config::SinkParams>(); },
     [](const config::SinkSpec&) { return std::make_unique<PrintSink>(); },
     {}});

}  // namespace
}  // namespace conveyor::sinks
