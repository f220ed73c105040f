#include "stdout_check.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "conveyor/pipeline/errors.hpp"

namespace conveyor::io {
namespace {

// errno values a failed write(2) leaves; anything else is not its reason.
bool write_errno(int error_number) {
  switch (error_number) {
    case ENOSPC:
    case EDQUOT:
    case EPIPE:
    case EIO:
    case EFBIG:
    case EBADF:
    case EROFS:
    case EINVAL:
    case EAGAIN:
    case ECONNRESET:
      return true;
    default:
      return false;
  }
}

}  // namespace

void check_stdout() {
  // A failed write leaves its errno; called right after printing, that is
  // the reason (the stream discards the data, so a later flush cannot tell).
  int error_number = write_errno(errno) ? errno : 0;
  errno = 0;
  std::cout.flush();
  if (write_errno(errno)) error_number = errno;
  errno = 0;
  if (std::fflush(stdout) != 0 && write_errno(errno)) error_number = errno;
  if (!std::cout.fail() && std::ferror(stdout) == 0) return;
  std::clearerr(stdout);
  std::cout.clear();
  const std::string reason = error_number != 0 ? std::strerror(error_number) : "write error";
  throw pipeline::OutputError("cannot write to stdout: " + reason);
}

}  // namespace conveyor::io
