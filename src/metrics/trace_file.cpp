#include "trace_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "conveyor/pipeline/errors.hpp"

namespace conveyor::metrics {

TraceFile::TraceFile(std::string path) : path_(std::move(path)) {
  const std::filesystem::path folder = std::filesystem::path(path_).parent_path();
  std::error_code ec;
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec)) {
    std::filesystem::create_directories(folder, ec);
    if (ec) {
      throw pipeline::OutputError("trace '" + path_ + "': cannot create the folder '" +
                                  folder.string() + "': " + ec.message());
    }
  }
  file_ = std::fopen(path_.c_str(), "we");
  if (file_ == nullptr) {
    throw pipeline::OutputError("trace '" + path_ + "': cannot create it: " + std::strerror(errno));
  }
}

TraceFile::~TraceFile() {
  if (file_ != nullptr) std::fclose(file_);
}

void TraceFile::failed(int error_number) {
  if (error_ == 0) error_ = error_number != 0 ? error_number : EIO;
}

void TraceFile::write(const std::string& text) {
  if (error_ != 0 || file_ == nullptr) return;
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) failed(errno);
}

void TraceFile::flush() {
  if (error_ != 0 || file_ == nullptr) return;
  errno = 0;
  if (std::fflush(file_) != 0 || std::ferror(file_) != 0) failed(errno);
}

std::optional<std::string> TraceFile::take_error() {
  if (error_ == 0 || reported_) return std::nullopt;
  reported_ = true;
  return "trace '" + path_ + "': writing failed: " + std::strerror(error_);
}

}  // namespace conveyor::metrics
