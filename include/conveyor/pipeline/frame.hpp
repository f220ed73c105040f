// What travels through the flow graph: one frame, its results, its timestamps.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "conveyor/conv/image.hpp"
#include "conveyor/metrics/frame_record.hpp"
#include "conveyor/pipeline/stage.hpp"

namespace conveyor::pipeline {

// The outcome of a frame and its timestamps are what metrics record of it
// (metrics/frame_record.hpp): the pipeline uses the same types.
using Clock = metrics::Clock;
using DropReason = metrics::DropReason;
using metrics::kDropReasonCount;
using metrics::to_string;
using StageTimes = metrics::StageTimes;

struct Frame {
  std::int64_t sequence = 0;      // 0, 1, 2 ... in capture order: the sequencer's key
  std::int64_t source_index = 0;  // index in the source's own numbering
  cv::Mat image;                  // the captured frame (CV_8UC1 or CV_8UC3)
  std::vector<StageOutput> stages;
  DropReason drop = DropReason::None;  // not None: a tombstone, it carries no image
  std::string error;                   // what went wrong, for the log
  Clock::time_point captured{};
  std::vector<StageTimes> stage_times;
  Clock::time_point sink_started{};
  Clock::time_point sink_finished{};
  // Per sink, once the frame reached the sinks: None where it was accepted,
  // WriterReject where that sink refused it.
  std::vector<DropReason> sink_drops;
  // The stages this frame runs through, fixed when it enters the graph, so a
  // hot reload swaps banks between two frames, never inside one.
  std::shared_ptr<const void> stage_set;

  bool tombstone() const { return drop != DropReason::None; }
};

}  // namespace conveyor::pipeline
