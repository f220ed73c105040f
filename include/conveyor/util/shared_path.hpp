// A path that the thread writing an output sets and clears while another
// thread may read it at any moment: the signal watcher's emergency exit
// (pipeline/shutdown.hpp) removes every sink's temporary file while the flow
// graph may still be writing. A bare std::filesystem::path there is a data
// race (ThreadSanitizer saw the watcher read the string while the sink
// assigned it): the watcher could read a torn string, remove the wrong file
// or crash.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace conveyor::util {

class SharedPath {
 public:
  void set(std::filesystem::path path) {
    std::lock_guard lock(mutex_);
    path_ = std::move(path);
  }
  void clear() {
    std::lock_guard lock(mutex_);
    path_.clear();
  }
  // A copy, never a reference into the guarded value.
  std::filesystem::path get() const {
    std::lock_guard lock(mutex_);
    return path_;
  }
  // Sink::temporary_files(): nothing, or the one file.
  std::vector<std::string> files() const {
    const std::filesystem::path path = get();
    if (path.empty()) return {};
    return {path.string()};
  }
  // Removes the file it names, if any (errors ignored), and forgets it.
  void remove_file() noexcept {
    const std::filesystem::path path = get();
    if (path.empty()) return;
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    clear();
  }

 private:
  mutable std::mutex mutex_;
  std::filesystem::path path_;
};

}  // namespace conveyor::util
