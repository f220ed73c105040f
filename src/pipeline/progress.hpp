// Progress on stderr: a bar on a terminal, a log line every few seconds
// otherwise, nothing with --quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace conveyor::pipeline {

class Progress {
 public:
  Progress(std::optional<std::int64_t> total, bool quiet);
  // Frames done so far; cheap to call for every frame.
  void update(std::int64_t done);
  void finish();

 private:
  void draw(std::int64_t done, bool final_line);

  std::optional<std::int64_t> total_;
  bool quiet_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  std::int64_t done_ = 0;
  bool drawn_ = false;
};

}  // namespace conveyor::pipeline
