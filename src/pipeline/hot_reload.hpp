// `conveyor run --watch`: when the pipeline file changes, its banks are
// swapped in between two frames while capture goes on. An invalid edit is
// reported and the previous banks keep running.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "run_state.hpp"

namespace conveyor::pipeline {

class HotReload {
 public:
  HotReload(RunState& state, std::filesystem::path file, std::vector<std::string> overrides);
  ~HotReload();
  HotReload(const HotReload&) = delete;
  HotReload& operator=(const HotReload&) = delete;

  int reloads() const { return reloads_.load(); }

 private:
  void loop();
  void reload();

  RunState& state_;
  std::filesystem::path file_;
  std::vector<std::string> overrides_;
  std::atomic<bool> running_{true};
  std::atomic<int> reloads_{0};
  std::thread thread_;
};

}  // namespace conveyor::pipeline
