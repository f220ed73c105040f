#include "conveyor/pipeline/checked_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "conveyor/pipeline/errors.hpp"

namespace conveyor::pipeline {

void throw_write_error(int error_number, const std::string& label, const std::string& what) {
  const std::string text = label + ": " + what + ": " + std::strerror(error_number);
  if (is_persistent_write_error(error_number)) throw PersistentOutputError(text);
  throw OutputError(text);
}

void write_file_checked(const std::filesystem::path& path, const void* data, std::size_t size,
                        const std::string& label) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw_write_error(errno, label, "cannot create '" + path.string() + "'");
  const auto* bytes = static_cast<const char*>(data);
  std::size_t done = 0;
  int error_number = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, bytes + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_number = n < 0 ? errno : ENOSPC;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && error_number == 0 && errno != EINTR) error_number = errno;
  if (error_number != 0) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    throw_write_error(error_number, label, "cannot write '" + path.string() + "'");
  }
}

}  // namespace conveyor::pipeline
