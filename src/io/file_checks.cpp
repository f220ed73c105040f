// Filesystem checks with messages that name the path and the reason.
#include "file_checks.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <system_error>

#include "conveyor/pipeline/errors.hpp"
#include "conveyor/util/temp_names.hpp"

namespace conveyor::io {
namespace fs = std::filesystem;
using pipeline::InputError;
using pipeline::OutputError;

namespace {

// Polls (not reads: the data stays for the decoder) until the pipe has data.
void wait_for_pipe_data(int fd, const std::string& name, std::chrono::milliseconds wait) {
  pollfd pipe{fd, POLLIN, 0};
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const int ready = ::poll(&pipe, 1, static_cast<int>(std::max<std::int64_t>(0, left.count())));
    if (ready < 0 && errno == EINTR) continue;
    if (ready > 0 && (pipe.revents & POLLIN) != 0) return;
    if (ready > 0) {
      throw InputError(name + ": the named pipe's writer closed it without writing anything");
    }
    if (ready == 0) {
      throw InputError(name + ": a named pipe (FIFO) with no data within " +
                       std::to_string(wait.count()) +
                       " ms; expected a writer feeding it (or a regular file)");
    }
    const std::error_code why(errno, std::generic_category());
    throw InputError(name + ": cannot be read: " + why.message());
  }
}

}  // namespace

InputHold check_readable_file(const fs::path& path, const std::string& what,
                              std::chrono::milliseconds wait_for_data) {
  const std::string name = what + " '" + path.string() + "'";
  if (path.empty()) throw InputError(what + ": no path given");
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    const std::string reason =
        ec && ec != std::errc::no_such_file_or_directory ? ec.message() : "no such file";
    throw InputError(name + ": " + reason);
  }
  if (fs::is_directory(status)) throw InputError(name + ": is a directory, not a file");
  if (fs::is_regular_file(status) && fs::file_size(path, ec) == 0 && !ec)
    throw InputError(name + ": the file is empty (0 bytes)");
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer for ever.
  InputHold hold(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!hold.valid()) {
    const std::error_code why(errno, std::generic_category());
    throw InputError(name + ": cannot be read: " + why.message());
  }
  if (fs::is_fifo(status)) wait_for_pipe_data(hold.fd(), name, wait_for_data);
  return hold;
}

bool is_consumed_by_reading(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  return !ec && (fs::is_fifo(status) || fs::is_socket(status) || fs::is_character_file(status));
}

InputHold& InputHold::operator=(InputHold&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

InputHold::~InputHold() {
  if (fd_ >= 0) ::close(fd_);
}

bool mp4_index_missing(const fs::path& path) {
  const std::string ext = lower_extension(path);
  if (ext != ".mp4" && ext != ".mov" && ext != ".m4v") return false;
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  const auto total = static_cast<std::uint64_t>(fs::file_size(path, ec));
  if (!in || ec) return false;
  bool saw_ftyp = false;
  std::uint64_t offset = 0;
  // Walk the top-level boxes: 32-bit size + type, size 1: 64-bit size follows.
  while (offset + 8 <= total) {
    std::array<unsigned char, 16> head{};
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(reinterpret_cast<char*>(head.data()), 8)) break;
    std::uint64_t size = 0;
    for (int i = 0; i < 4; ++i) size = (size << 8) | head[static_cast<std::size_t>(i)];
    const std::string type(reinterpret_cast<const char*>(head.data()) + 4, 4);
    if (type == "moov") return false;
    saw_ftyp = saw_ftyp || type == "ftyp";
    if (size == 1) {
      if (!in.read(reinterpret_cast<char*>(head.data()) + 8, 8)) break;
      size = 0;
      for (int i = 8; i < 16; ++i) size = (size << 8) | head[static_cast<std::size_t>(i)];
    }
    if (size == 0 || size < 8) break;  // "to the end of file", or damaged
    offset += size;
  }
  return saw_ftyp;
}

fs::path temporary_path_for(const fs::path& final_path) {
  return util::temporary_name_for(final_path);
}

void ensure_parent_folder(const fs::path& path, const std::string& what) {
  const fs::path parent = path.parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  if (fs::is_directory(parent, ec)) return;
  fs::create_directories(parent, ec);
  if (ec || !fs::is_directory(parent)) {
    const std::string reason = ec ? ec.message() : "a file of that name is in the way";
    throw OutputError(what + " '" + path.string() + "': cannot create folder '" + parent.string() +
                      "': " + reason);
  }
}

void rename_into_place(const fs::path& from, const fs::path& to, const std::string& what) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    throw OutputError(what + " '" + to.string() + "': cannot move the finished file '" +
                      from.string() + "' into place: " + ec.message());
  }
}

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace conveyor::io
