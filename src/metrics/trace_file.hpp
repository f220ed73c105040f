// The per-frame CSV trace as a file whose every write is checked: a trace
// that cannot be created, or that fails while the run goes (a full disk), is
// an output error naming the path and the system's reason.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

namespace conveyor::metrics {

class TraceFile {
 public:
  // Creates the parent folder and the file. Throws pipeline::OutputError
  // "trace '<path>': cannot create it: <reason>".
  explicit TraceFile(std::string path);
  ~TraceFile();
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  // Appends `text`; after the first failure nothing more is written.
  void write(const std::string& text);
  void flush();
  // The first failure, once: "trace '<path>': writing failed: <reason>".
  std::optional<std::string> take_error();

 private:
  void failed(int error_number);

  std::string path_;
  std::FILE* file_ = nullptr;
  int error_ = 0;
  bool reported_ = false;
};

}  // namespace conveyor::metrics
