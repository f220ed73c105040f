// Temporary names for outputs being written (videos, images, the trace, the
// report): every writer gets its name here, so a later run can tell whose a
// left-over temporary is.
//
//   out/base.mkv  ->  out/.base.mkv.partial.<host>.<pid>.<random>.mkv
//
// Hidden (a leading dot), in the output's own folder (the final rename is
// atomic), unique per host, process and file (two runs on shared storage
// never share one), and with the real extension last so that FFmpeg and
// OpenCV pick the container or codec from it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace conveyor::util {

// The temporary name for `final_path`, beside it. A fresh random part on each call.
std::filesystem::path temporary_name_for(const std::filesystem::path& final_path);

// What a temporary name says about the run that made it.
struct TemporaryName {
  std::string final_name;  // the output's file name, e.g. "base.mkv"
  std::string host;
  long pid = 0;
  std::string random;
};

// nullopt unless `file_name` (no folder) is in the scheme above.
std::optional<TemporaryName> parse_temporary_name(const std::string& file_name);

// This machine's host name as it appears in temporary names.
const std::string& host_name();

}  // namespace conveyor::util
