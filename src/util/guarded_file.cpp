#include "conveyor/util/guarded_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace conveyor::util {
namespace {

// What a non-regular file is, in words a user recognises.
std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device (such as /dev/zero)";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

FileReadError::FileReadError(Kind kind, std::string path, std::string reason)
    : std::runtime_error(path + ": " + reason),
      kind_(kind),
      path_(std::move(path)),
      reason_(std::move(reason)) {}

std::string byte_size_text(std::uint64_t bytes) {
  if (bytes >= (std::uint64_t{1} << 20) && bytes % (std::uint64_t{1} << 20) == 0) {
    return std::to_string(bytes >> 20) + " MiB";
  }
  return std::to_string(bytes) + " bytes";
}

RegularFile::RegularFile(const std::filesystem::path& path, const std::string& expected)
    : path_(path.string()), expected_(expected) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd_ < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      throw FileReadError(FileReadError::Kind::Missing, path_,
                          "does not exist; expected " + expected_);
    }
    throw FileReadError(FileReadError::Kind::Unreadable, path_,
                        std::string("cannot be opened for reading (") + std::strerror(error) +
                            "); expected " + expected_);
  }
  struct stat info {};
  if (::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    const std::string what = kind_of(info.st_mode);
    ::close(fd_);
    fd_ = -1;
    throw FileReadError(FileReadError::Kind::NotRegular, path_,
                        "is " + (what.rfind("not ", 0) == 0 ? what.substr(4) : what) +
                            ", not a regular file; expected " + expected_);
  }
  size_ = static_cast<std::uint64_t>(info.st_size);
  // Regular files never block; plain blocking reads from here on.
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
}

RegularFile::~RegularFile() {
  if (fd_ >= 0) ::close(fd_);
}

RegularFile::RegularFile(RegularFile&& other) noexcept
    : fd_(other.fd_),
      path_(std::move(other.path_)),
      expected_(std::move(other.expected_)),
      size_(other.size_) {
  other.fd_ = -1;
}

std::size_t RegularFile::read_some(char* buffer, std::size_t capacity) {
  while (true) {
    const ssize_t got = ::read(fd_, buffer, capacity);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno == EINTR) continue;
    throw FileReadError(FileReadError::Kind::Unreadable, path_,
                        std::string("read error (") + std::strerror(errno) + ")");
  }
}

void RegularFile::rewind() {
  if (::lseek(fd_, 0, SEEK_SET) != 0) {
    throw FileReadError(FileReadError::Kind::Unreadable, path_,
                        std::string("cannot seek (") + std::strerror(errno) + ")");
  }
}

std::string RegularFile::read_all(std::uint64_t max_bytes) {
  const auto too_large = [&](const std::string& size) {
    return FileReadError(FileReadError::Kind::TooLarge, path_,
                         "file is " + size + "; expected at most " + std::to_string(max_bytes) +
                             " bytes (" + byte_size_text(max_bytes) + ") for " + expected_);
  };
  if (size_ > max_bytes) throw too_large(std::to_string(size_) + " bytes");
  // The size may lie (a file growing, /proc): read at most one byte past the limit.
  const std::size_t cap = static_cast<std::size_t>(max_bytes) + 1;
  std::string text(std::min<std::size_t>(cap, static_cast<std::size_t>(size_) + 4096), '\0');
  std::size_t used = 0;
  while (used < cap) {
    if (used == text.size()) text.resize(std::min(cap, 2 * text.size()));
    const std::size_t got = read_some(text.data() + used, text.size() - used);
    if (got == 0) break;
    used += got;
  }
  if (used > max_bytes) throw too_large("more than " + std::to_string(max_bytes) + " bytes");
  text.resize(used);
  text.shrink_to_fit();
  return text;
}

std::string read_regular_file(const std::filesystem::path& path, std::uint64_t max_bytes,
                              const std::string& expected) {
  RegularFile file(path, expected);
  return file.read_all(max_bytes);
}

}  // namespace conveyor::util
