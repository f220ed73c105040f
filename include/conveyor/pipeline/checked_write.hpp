// Writing a whole file with the system's own error reported: write(2) and
// close(2) are checked, so a full disk or a read-only folder is named as such
// (cv::imwrite only returns false, and its PNG writer even returns true on a
// full disk, leaving a truncated file).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace conveyor::pipeline {

// Creates (or truncates) `path` and writes `size` bytes to it. On failure the
// partial file is removed and PersistentOutputError (ENOSPC, EDQUOT, EIO,
// EROFS, EFBIG) or OutputError is thrown: "<label>: cannot write '<path>': <reason>".
void write_file_checked(const std::filesystem::path& path, const void* data, std::size_t size,
                        const std::string& label);

// Throws PersistentOutputError or OutputError "<label>: <what>: <strerror>".
[[noreturn]] void throw_write_error(int error_number, const std::string& label,
                                    const std::string& what);

}  // namespace conveyor::pipeline
