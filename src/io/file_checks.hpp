// Filesystem checks shared by the file-based sources and sinks, so that a
// missing, empty or misplaced file is reported in words before a codec
// library gets to fail on it vaguely.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>

namespace conveyor::io {

// A read descriptor of an input, held open until its decoder has opened the
// path itself: a named pipe's writer then always has a reader (it would get
// SIGPIPE in the gap), and the decoder's open does not block.
class InputHold {
 public:
  InputHold() = default;
  explicit InputHold(int fd) : fd_(fd) {}
  InputHold(InputHold&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  InputHold& operator=(InputHold&& other) noexcept;
  InputHold(const InputHold&) = delete;
  InputHold& operator=(const InputHold&) = delete;
  ~InputHold();
  bool valid() const { return fd_ >= 0; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// Throws InputError "<what> '<path>': <reason>" unless `path` names an
// existing, non-empty, readable file. Never blocks: a named pipe (FIFO) is
// opened without waiting for a writer, then given `wait_for_data` for its
// first bytes; none by then, or a writer that left without writing, is an
// InputError. Devices and pipes pass without a size check.
InputHold check_readable_file(
    const std::filesystem::path& path, const std::string& what,
    std::chrono::milliseconds wait_for_data = std::chrono::milliseconds(10000));

// True when reading `path` takes its data from whoever reads it next (a
// named pipe, a socket, a character device): `validate` must not probe it.
bool is_consumed_by_reading(const std::filesystem::path& path);

// True for an MP4/MOV file whose top-level boxes hold no `moov` (its index):
// the writer was killed before finalizing, FFmpeg cannot open it.
bool mp4_index_missing(const std::filesystem::path& path);

// `.<name>.partial.<host>.<pid>.<random><ext>` beside `final_path`
// (util::temporary_name_for): hidden, unique per host, process and call, and
// with the real extension last so FFmpeg picks the container.
std::filesystem::path temporary_path_for(const std::filesystem::path& final_path);

// Creates the parent folder of `path` if needed; throws OutputError
// "<what> '<path>': cannot create folder '<parent>': <reason>".
void ensure_parent_folder(const std::filesystem::path& path, const std::string& what);

// Moves `from` onto `to` (atomic on one filesystem); throws OutputError.
void rename_into_place(const std::filesystem::path& from, const std::filesystem::path& to,
                       const std::string& what);

std::string lower_extension(const std::filesystem::path& path);  // ".mkv"

}  // namespace conveyor::io
