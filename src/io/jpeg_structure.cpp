#include "jpeg_structure.hpp"

#include <cstddef>
#include <cstdint>

#include "conveyor/util/guarded_file.hpp"

namespace conveyor::io {
namespace {

constexpr std::uint8_t kMarker = 0xFF;
constexpr std::uint8_t kStartOfImage = 0xD8;
constexpr std::uint8_t kEndOfImage = 0xD9;
constexpr std::uint8_t kStartOfScan = 0xDA;
constexpr const char* kEnded = "its data ends before the end-of-image marker";

std::uint8_t at(std::string_view bytes, std::size_t i) {
  return static_cast<std::uint8_t>(bytes[i]);
}

// Markers that stand alone, without a length: TEM and the restart markers.
bool standalone(std::uint8_t marker) {
  return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
}

// From inside entropy-coded data, the position of the next marker's 0xFF
// (stuffed 0xFF00 and restart markers belong to the data), or npos.
std::size_t skip_scan_data(std::string_view bytes, std::size_t pos) {
  while (pos + 1 < bytes.size()) {
    if (at(bytes, pos) != kMarker) {
      ++pos;
      continue;
    }
    const std::uint8_t next = at(bytes, pos + 1);
    if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
      pos += 2;
    } else if (next == kMarker) {
      ++pos;  // fill byte
    } else {
      return pos;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string jpeg_truncation(std::string_view bytes) {
  if (bytes.size() < 2 || at(bytes, 0) != kMarker || at(bytes, 1) != kStartOfImage) return {};
  std::size_t pos = 2;
  while (true) {
    // Bytes between segments are corrupt data libjpeg skips with a warning;
    // only the end of the file matters here.
    while (pos < bytes.size() && at(bytes, pos) != kMarker) ++pos;
    while (pos < bytes.size() && at(bytes, pos) == kMarker) ++pos;  // fill bytes
    if (pos >= bytes.size()) return kEnded;
    const std::uint8_t marker = at(bytes, pos++);
    if (marker == kEndOfImage) return {};
    if (standalone(marker) || marker == 0x00) continue;
    if (pos + 2 > bytes.size()) return kEnded;
    const std::size_t length = (std::size_t{at(bytes, pos)} << 8) | at(bytes, pos + 1);
    if (length < 2) return {};  // malformed: the decoder's own error says more
    pos += length;
    if (pos > bytes.size()) return kEnded;
    if (marker == kStartOfScan) {
      pos = skip_scan_data(bytes, pos);
      if (pos == std::string_view::npos) return kEnded;
    }
  }
}

std::string jpeg_file_truncation(const std::filesystem::path& path) {
  try {
    // Never blocks and never reads a pipe or a device (that would take the
    // decoder's bytes): those, and unreadable files, are left to the decoder.
    util::RegularFile file(path, "an image");
    char head[2] = {0, 0};
    if (file.read_some(head, 2) != 2 || static_cast<std::uint8_t>(head[0]) != kMarker ||
        static_cast<std::uint8_t>(head[1]) != kStartOfImage) {
      return {};
    }
    file.rewind();
    return jpeg_truncation(file.read_all(file.size()));  // a growing file is not judged
  } catch (const util::FileReadError&) {
    return {};
  }
}

}  // namespace conveyor::io
