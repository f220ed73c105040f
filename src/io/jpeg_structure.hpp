// Whether a JPEG file holds its whole primary image. libjpeg decodes a
// truncated file without an error: it fills the missing rows with gray and
// only prints "Premature end of JPEG file", so OpenCV returns a picture that
// is partly made up. Walking the file's markers finds the primary image's
// end-of-image marker; a thumbnail's own marker (inside APP1) is skipped, and
// data after the end (a phone's appended video, maker notes) is allowed.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace conveyor::io {

// Empty when `bytes` is not a JPEG (no start-of-image marker) or a complete
// one; else what is missing, e.g. "its data ends before the end-of-image
// marker".
std::string jpeg_truncation(std::string_view bytes);

// The same for a regular file; empty too for a pipe or a device (never read
// here: that would take the decoder's bytes) and for a file that cannot be
// read (the decoder reports that).
std::string jpeg_file_truncation(const std::filesystem::path& path);

}  // namespace conveyor::io
