// Which file a path names: paths are compared as files, not as strings.
//
// `out/./a.mkv`, `out/sub/../a.mkv` and `link/a.mkv` (link -> out) all name
// out/a.mkv; a hard link or a bind mount names the same file under another
// path. identify() resolves the first kind (weakly canonical path: `.`, `..`
// and the symlinks of the parts that exist) and records the device and inode
// of a file that exists, which catches the second.
#pragma once

#include <cstdint>
#include <filesystem>

namespace conveyor::util {

struct FileIdentity {
  std::filesystem::path canonical;  // absolute, weakly canonical, no trailing separator
  bool exists = false;              // the path names something on disk (stat succeeded)
  bool regular = false;             // ... and it is a regular file
  std::uint64_t device = 0;         // when it exists
  std::uint64_t inode = 0;
  // The folder holding it, for a file that does not exist yet: the same name
  // in one folder reached by two paths (a bind mount) is the same file.
  bool folder_exists = false;
  std::uint64_t folder_device = 0;
  std::uint64_t folder_inode = 0;
};

// Never throws: a part that cannot be resolved is kept as written (normalised).
FileIdentity identify(const std::filesystem::path& path);

// Fills exists, regular, device and inode from stat(path); leaves them as they
// are when the file does not exist.
void stat_file(const std::filesystem::path& path, FileIdentity& id);

// Two paths name one file: equal canonical paths, equal (device, inode), or
// the same name in folders with equal (device, inode).
// Devices, pipes and sockets (/dev/null, /dev/stdout, a FIFO) never clash:
// many writers of /dev/null lose nothing, and video inputs may be pipes.
bool same_file(const FileIdentity& a, const FileIdentity& b);

}  // namespace conveyor::util
