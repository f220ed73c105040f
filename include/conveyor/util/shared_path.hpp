// A path that the thread writing an output sets and clears while another
// thread may read it at any moment: the signal watcher's emergency exit
// (pipeline/shutdown.hpp) removes every sink's temporary file while the flow
// graph may still be writing. A bare std::filesystem::path there is a data
// race (ThreadSanitizer saw the watcher read the string while the sink
// assigned it): the watcher could read a torn string, remove the wrong file
// or crash.
//
// The emergency exit also must not race a file being created: create() makes
// the file under the same lock abandon() takes, so the file exists by the
// time abandon() removes it, or it is never made.
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
  // Records `path` and runs `make_file` (which creates it) under the lock.
  // Once abandon() ran, creates nothing and returns false. What `make_file`
  // throws propagates with the path recorded, for remove_file().
  template <typename MakeFile>
  bool create(std::filesystem::path path, MakeFile&& make_file) {
    std::lock_guard lock(mutex_);
    if (abandoned_) return false;
    path_ = std::move(path);
    make_file();
    return true;
  }
  // The emergency exit: removes the file, if any, and refuses every later
  // create(), so none appears between this and the end of the process.
  void abandon() noexcept {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
    path_.clear();
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
  bool abandoned_ = false;
};

}  // namespace conveyor::util
