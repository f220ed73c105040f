// Reading configuration, kernel, report and trace files without ever hanging
// or running out of memory: the file is opened without blocking (a FIFO never
// stalls the open), the OPENED descriptor must be a regular file (never
// /dev/zero, a FIFO, a directory or a socket), and whole-file reads stop at a
// documented limit. Video inputs are not read this way: they may be pipes and
// devices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace conveyor::util {

inline constexpr std::uint64_t kMaxConfigFileBytes = std::uint64_t{1} << 20;   // pipelines, kernels
inline constexpr std::uint64_t kMaxReportFileBytes = std::uint64_t{64} << 20;  // JSON reports

// what(): "<path>: <reason>"; reason() alone for messages that name the path
// their own way.
class FileReadError : public std::runtime_error {
 public:
  enum class Kind { Missing, NotRegular, TooLarge, Unreadable };
  FileReadError(Kind kind, std::string path, std::string reason);
  Kind kind() const { return kind_; }
  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }

 private:
  Kind kind_;
  std::string path_;
  std::string reason_;
};

// A regular file open for reading. `expected` says what the file should be,
// for messages ("a pipeline YAML file").
class RegularFile {
 public:
  RegularFile(const std::filesystem::path& path, const std::string& expected);
  ~RegularFile();
  RegularFile(RegularFile&& other) noexcept;
  RegularFile& operator=(RegularFile&&) = delete;
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;

  const std::string& path() const { return path_; }
  // The size fstat reported at open (0 for some /proc files; reads do not trust it).
  std::uint64_t size() const { return size_; }
  // Up to `capacity` bytes; 0 at the end of the file. Throws FileReadError.
  std::size_t read_some(char* buffer, std::size_t capacity);
  // Back to the first byte, for a second pass over the same file.
  void rewind();
  // The rest of the file; refuses more than `max_bytes` (at most max_bytes + 1
  // are ever read), naming `expected`.
  std::string read_all(std::uint64_t max_bytes);

 private:
  int fd_ = -1;
  std::string path_;
  std::string expected_;
  std::uint64_t size_ = 0;
};

// The whole of a regular file of at most `max_bytes`.
std::string read_regular_file(const std::filesystem::path& path, std::uint64_t max_bytes,
                              const std::string& expected);

// "1 MiB", "64 MiB", "4096 bytes": limits in messages.
std::string byte_size_text(std::uint64_t bytes);

}  // namespace conveyor::util
