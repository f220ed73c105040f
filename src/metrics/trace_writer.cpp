#include "trace_writer.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "conveyor/metrics/run_metrics.hpp"

namespace conveyor::metrics {

TraceWriter::TraceWriter(const std::string& file, std::string shown) : shown_(std::move(shown)) {
  const std::filesystem::path folder = std::filesystem::path(shown_).parent_path();
  std::error_code ec;
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec)) {
    std::filesystem::create_directories(folder, ec);
    if (ec) {
      throw TraceError("trace '" + shown_ + "': cannot create the folder '" + folder.string() +
                       "': " + ec.message());
    }
  }
  file_ = std::fopen(file.c_str(), "we");
  if (file_ == nullptr) {
    throw TraceError("trace '" + shown_ + "': cannot create it: " + std::strerror(errno));
  }
}

TraceWriter::~TraceWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

void TraceWriter::failed(int error_number) {
  if (error_ == 0) error_ = error_number != 0 ? error_number : EIO;
}

void TraceWriter::write(const std::string& text) {
  if (error_ != 0 || file_ == nullptr) return;
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) failed(errno);
}

void TraceWriter::flush() {
  if (error_ != 0 || file_ == nullptr) return;
  errno = 0;
  if (std::fflush(file_) != 0 || std::ferror(file_) != 0) failed(errno);
}

std::optional<std::string> TraceWriter::take_error() {
  if (error_ == 0 || reported_) return std::nullopt;
  reported_ = true;
  return "trace '" + shown_ + "': writing failed: " + std::strerror(error_);
}

std::string TraceWriter::close() {
  flush();
  if (file_ != nullptr) {
    errno = 0;
    if (std::fclose(file_) != 0) failed(errno);
    file_ = nullptr;
  }
  return error_ == 0 ? "" : std::strerror(error_);
}

}  // namespace conveyor::metrics
