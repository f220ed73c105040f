#include "conveyor/metrics/frame_record.hpp"

namespace conveyor::metrics {

const char* to_string(DropReason reason) {
  switch (reason) {
    case DropReason::None:
      return "none";
    case DropReason::DecodeGap:
      return "decode_gap";
    case DropReason::FilterError:
      return "filter_error";
    case DropReason::WriterReject:
      return "writer_reject";
    case DropReason::LiveOverwrite:
      return "live_overwrite";
    case DropReason::ShutdownDiscard:
      return "shutdown_discard";
  }
  return "?";
}

}  // namespace conveyor::metrics
