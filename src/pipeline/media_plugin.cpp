#include "conveyor/pipeline/media_plugin.hpp"

#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <system_error>

#include "conveyor/pipeline/errors.hpp"
#include "jpeg_structure.hpp"

namespace conveyor::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPluginName = "libconveyor_media.so";

ImageCodecs& codecs() {
  static ImageCodecs registered;
  return registered;
}

// Beside the executable (build tree), then the installed plugin folder
// relative to it (CONVEYOR_PLUGIN_RELDIR, e.g. "../lib/conveyor").
std::vector<fs::path> plugin_candidates() {
  std::error_code ec;
  const fs::path exe_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  if (ec) return {kPluginName};
  return {exe_dir / kPluginName, exe_dir / CONVEYOR_PLUGIN_RELDIR / kPluginName};
}

void load_once() {
  // Programs that link the media objects in (the tests) have them already.
  if (codecs().read) return;
  std::string tried;
  for (const fs::path& candidate : plugin_candidates()) {
    std::error_code ec;
    if (!fs::exists(candidate, ec)) {
      tried += (tried.empty() ? "" : ", ") + candidate.lexically_normal().string();
      continue;
    }
    // RTLD_NOW: a plugin built against another version fails here, in words,
    // not later on a missing symbol. Never unloaded: its stages stay registered.
    if (dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL) != nullptr) {
      spdlog::debug("loaded {}", candidate.string());
      return;
    }
    throw std::runtime_error("cannot load Conveyor's media plugin '" + candidate.string() +
                             "': " + dlerror());
  }
  throw std::runtime_error(std::string("Conveyor's media plugin ") + kPluginName +
                           " (video files, images, webcam, display) is missing; looked for " +
                           tried + ". Reinstall Conveyor or rebuild it.");
}

}  // namespace

void load_media_plugin() {
  static std::once_flag once;
  std::call_once(once, load_once);  // an exception lets a later call try again
}

void register_image_codecs(ImageCodecs registered) {
  codecs() = std::move(registered);
}

cv::Mat read_image(const std::string& path, int flags) {
  if (!codecs().read) load_media_plugin();
  // libjpeg decodes a truncated file with its missing rows made up (and a
  // line of its own on stderr): checked before decoding.
  if (const std::string problem = io::jpeg_file_truncation(path); !problem.empty()) {
    throw InputError("image '" + path + "' is truncated: " + problem +
                     "; expected a complete JPEG file");
  }
  return codecs().read(path, flags);
}

bool write_image(const std::string& path, const cv::Mat& image, const std::vector<int>& params) {
  if (!codecs().write) load_media_plugin();
  return codecs().write(path, image, params);
}

bool encode_image(const std::string& extension, const cv::Mat& image,
                  const std::vector<int>& params, std::vector<unsigned char>& bytes) {
  if (!codecs().encode) load_media_plugin();
  return codecs().encode(extension, image, params, bytes);
}

}  // namespace conveyor::pipeline
