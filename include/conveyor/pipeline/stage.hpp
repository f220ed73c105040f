// The stage contract at run time: a stage turns its input's maps into its
// own, frame by frame. Each stage type is one file in src/stages that
// registers a descriptor (config/node_registry.hpp): its parameters, its
// maps and their sizes (StageParams), and the factory that builds one of
// these for a run.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

namespace conveyor::pipeline {

// What one stage gives for one frame: its single map (`output`) and each of
// its named maps (`maps`, in the order of StageSpec::map_names). `output` is
// empty when the stage keeps several maps; `maps` is filled only when the run
// needs them (StageNeeds). The captured frame enters the first stage as the
// `output` of an empty StageOutput.
struct StageOutput {
  cv::Mat output;
  std::vector<cv::Mat> maps;
};

class Stage {
 public:
  virtual ~Stage() = default;
  // `input`: the previous stage's output (or the captured frame). Thread-safe:
  // frames run through one stage concurrently. Throws std::exception for a
  // frame it cannot process (counted as a filter_error of that frame).
  virtual StageOutput process(const StageOutput& input) const = 0;
};

// A stage that applies one function to each map of its input (the run-time
// side of config::PerMapParams): its single output, or each named map.
class PerMapStage : public Stage {
 public:
  StageOutput process(const StageOutput& input) const final {
    StageOutput result;
    if (!input.output.empty()) {
      result.output = apply(input.output);
      return result;
    }
    for (const cv::Mat& map : input.maps) result.maps.push_back(apply(map));
    return result;
  }

 protected:
  // One map in, one map out. Thread-safe, as process().
  virtual cv::Mat apply(const cv::Mat& map) const = 0;
};

}  // namespace conveyor::pipeline
