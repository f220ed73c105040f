#include "conveyor/util/fourcc.hpp"

#include <array>
#include <cctype>
#include <filesystem>
#include <utility>

namespace conveyor::util {
namespace {

// Crash-tolerant lossless MKV first; MP4 and AVI with their usual codecs.
constexpr std::array<std::pair<const char*, const char*>, 3> kDefaults{
    {{".mkv", "FFV1"}, {".mp4", "mp4v"}, {".avi", "MJPG"}}};

}  // namespace

std::string default_fourcc(std::string_view path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [extension, code] : kDefaults) {
    if (ext == extension) return code;
  }
  return {};
}

const std::string& default_fourcc_list() {
  static const std::string list = [] {
    std::string text;
    for (const auto& [extension, code] : kDefaults)
      text += (text.empty() ? "" : ", ") + std::string(extension) + ": " + code;
    return text;
  }();
  return list;
}

const std::string& default_fourcc_extensions() {
  static const std::string list = [] {
    std::string text;
    for (std::size_t i = 0; i < kDefaults.size(); ++i) {
      if (i > 0) text += i + 1 == kDefaults.size() ? " or " : ", ";
      text += kDefaults[i].first;
    }
    return text;
  }();
  return list;
}

bool is_fourcc(std::string_view code) {
  if (code.size() != 4) return false;
  for (const char c : code) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace conveyor::util
