// The first frame fixes every stage's geometry (docs/pipelines.md, "What is
// checked before the first frame"). A source whose size is only known once it
// delivers (a video file, images, a stream; a camera that grants another size
// than asked) is checked here, before its first frame reaches a stage: a frame
// too small for a kernel or a stride is the pipeline's configuration error,
// exit 2 at the filter's YAML position, not a filter_error of every frame.
#include "first_frame_check.hpp"

#include <cstdlib>
#include <string>

#include "conveyor/config/pipeline_loader.hpp"

namespace conveyor::pipeline {
namespace {

// "stage 'edges'" for a diagnostic at "stages.0...", else "the stages".
std::string failing_stage(const config::PipelineSpec& spec, const config::PipelineError& error) {
  const std::string prefix = "stages.";
  for (const auto& diagnostic : error.diagnostics()) {
    if (diagnostic.message.rfind(prefix, 0) != 0) continue;
    const std::size_t index = std::strtoul(diagnostic.message.c_str() + prefix.size(), nullptr, 10);
    if (index < spec.stages.size()) return "stage '" + spec.stages[index].name + "'";
  }
  return "the stages";
}

}  // namespace

void check_first_frame(RunState& state, Frame& frame) {
  if (frame.image.empty() || state.first_frame_checked.exchange(true)) return;
  const int width = frame.image.cols;
  const int height = frame.image.rows;
  try {
    config::check_geometry(state.spec, width, height);
  } catch (const config::PipelineError& error) {
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    state.fatal.set(util::ExitCode::Usage, "the source's first frame is " + size +
                                               ", too small for " +
                                               failing_stage(state.spec, error) +
                                               "; nothing was filtered:\n" + error.what());
    // It travels on as a tombstone: counted, never filtered or written.
    frame.drop = DropReason::FilterError;
    frame.error = "first frame " + size + " does not fit the stages";
  }
}

}  // namespace conveyor::pipeline
