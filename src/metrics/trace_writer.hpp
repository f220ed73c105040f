// The per-frame CSV trace as a file whose every write is checked: a trace
// that cannot be created, or that fails while the run goes (a full disk), is
// an output error naming the trace's path and the system's reason.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

namespace conveyor::metrics {

class TraceWriter {
 public:
  // Creates `file` (the trace's temporary name) and the folder of `shown`,
  // the trace's path. Throws TraceError "trace '<shown>': cannot
  // create it: <reason>".
  TraceWriter(const std::string& file, std::string shown);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // Appends `text`; after the first failure nothing more is written.
  void write(const std::string& text);
  void flush();
  // The first failure, once: "trace '<shown>': writing failed: <reason>".
  std::optional<std::string> take_error();
  // Flushes and closes; "" when every write arrived, else why not.
  std::string close();
  // True once take_error() gave the failure (it is not to be said again).
  bool error_reported() const { return reported_; }

 private:
  void failed(int error_number);

  std::string shown_;
  std::FILE* file_ = nullptr;
  int error_ = 0;
  bool reported_ = false;
};

}  // namespace conveyor::metrics
