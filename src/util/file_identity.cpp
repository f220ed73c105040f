// identify() and same_file(): see file_identity.hpp.
#include "conveyor/util/file_identity.hpp"

#include <sys/stat.h>

#include <system_error>

namespace conveyor::util {

namespace fs = std::filesystem;

void stat_file(const fs::path& path, FileIdentity& id) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return;
  id.exists = true;
  id.regular = S_ISREG(info.st_mode);
  id.device = static_cast<std::uint64_t>(info.st_dev);
  id.inode = static_cast<std::uint64_t>(info.st_ino);
}

FileIdentity identify(const fs::path& path) {
  FileIdentity id;
  std::error_code error;
  const fs::path written = path.empty() ? fs::path(".") : path;
  fs::path absolute = fs::absolute(written, error);
  if (error) absolute = written;
  fs::path canonical = fs::weakly_canonical(absolute, error);
  if (error) canonical = absolute.lexically_normal();
  // "out/" and "out" name one folder: drop the empty last element.
  if (!canonical.has_filename() && canonical.has_parent_path() &&
      canonical != canonical.root_path()) {
    canonical = canonical.parent_path();
  }
  id.canonical = canonical;
  stat_file(written, id);
  struct stat info {};
  if (::stat(canonical.parent_path().c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    id.folder_exists = true;
    id.folder_device = static_cast<std::uint64_t>(info.st_dev);
    id.folder_inode = static_cast<std::uint64_t>(info.st_ino);
  }
  return id;
}

bool same_file(const FileIdentity& a, const FileIdentity& b) {
  if ((a.exists && !a.regular) || (b.exists && !b.regular)) return false;
  if (a.canonical == b.canonical) return true;
  if (a.exists && b.exists) return a.device == b.device && a.inode == b.inode;
  return a.folder_exists && b.folder_exists && a.folder_device == b.folder_device &&
         a.folder_inode == b.folder_inode && a.canonical.filename() == b.canonical.filename();
}

}  // namespace conveyor::util
