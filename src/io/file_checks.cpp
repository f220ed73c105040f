// Filesystem checks with messages that name the path and the reason.
#include "file_checks.hpp"

#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <system_error>

#include "conveyor/pipeline/errors.hpp"
#include "conveyor/util/temp_names.hpp"

namespace conveyor::io {
namespace fs = std::filesystem;
using pipeline::InputError;
using pipeline::OutputError;

void check_readable_file(const fs::path& path, const std::string& what) {
  const std::string name = what + " '" + path.string() + "'";
  if (path.empty()) throw InputError(what + ": no path given");
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    const std::string reason =
        ec && ec != std::errc::no_such_file_or_directory ? ec.message() : "no such file";
    throw InputError(name + ": " + reason);
  }
  if (fs::is_directory(status)) throw InputError(name + ": is a directory, not a file");
  if (fs::is_regular_file(status) && fs::file_size(path, ec) == 0 && !ec)
    throw InputError(name + ": the file is empty (0 bytes)");
  std::ifstream probe(path, std::ios::binary);
  if (!probe) {
    const std::error_code why(errno, std::generic_category());
    throw InputError(name + ": cannot be read: " + why.message());
  }
}

bool mp4_index_missing(const fs::path& path) {
  const std::string ext = lower_extension(path);
  if (ext != ".mp4" && ext != ".mov" && ext != ".m4v") return false;
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  const auto total = static_cast<std::uint64_t>(fs::file_size(path, ec));
  if (!in || ec) return false;
  bool saw_ftyp = false;
  std::uint64_t offset = 0;
  // Walk the top-level boxes: 32-bit size + type, size 1: 64-bit size follows.
  while (offset + 8 <= total) {
    std::array<unsigned char, 16> head{};
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(reinterpret_cast<char*>(head.data()), 8)) break;
    std::uint64_t size = 0;
    for (int i = 0; i < 4; ++i) size = (size << 8) | head[static_cast<std::size_t>(i)];
    const std::string type(reinterpret_cast<const char*>(head.data()) + 4, 4);
    if (type == "moov") return false;
    saw_ftyp = saw_ftyp || type == "ftyp";
    if (size == 1) {
      if (!in.read(reinterpret_cast<char*>(head.data()) + 8, 8)) break;
      size = 0;
      for (int i = 8; i < 16; ++i) size = (size << 8) | head[static_cast<std::size_t>(i)];
    }
    if (size == 0 || size < 8) break;  // "to the end of file", or damaged
    offset += size;
  }
  return saw_ftyp;
}

fs::path temporary_path_for(const fs::path& final_path) {
  return util::temporary_name_for(final_path);
}

void ensure_parent_folder(const fs::path& path, const std::string& what) {
  const fs::path parent = path.parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  if (fs::is_directory(parent, ec)) return;
  fs::create_directories(parent, ec);
  if (ec || !fs::is_directory(parent)) {
    const std::string reason = ec ? ec.message() : "a file of that name is in the way";
    throw OutputError(what + " '" + path.string() + "': cannot create folder '" + parent.string() +
                      "': " + reason);
  }
}

void rename_into_place(const fs::path& from, const fs::path& to, const std::string& what) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    throw OutputError(what + " '" + to.string() + "': cannot move the finished file '" +
                      from.string() + "' into place: " + ec.message());
  }
}

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace conveyor::io
