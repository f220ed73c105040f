// A small tmpfs mounted for one test (a full or read-only disk on demand),
// unmounted when the test ends, whatever its outcome. mounted() is false
// where mounting is not allowed (not root): the test then skips.
#pragma once

#include <sys/mount.h>

#include <filesystem>
#include <string>

namespace conveyor::testing::e2e {

class TmpfsMount {
 public:
  TmpfsMount(const std::filesystem::path& path, const std::string& size, bool read_only = false)
      : path_(path) {
    std::filesystem::create_directories(path);
    const std::string options = "size=" + size;
    mounted_ =
        ::mount("tmpfs", path.c_str(), "tmpfs", read_only ? MS_RDONLY : 0, options.c_str()) == 0;
  }
  ~TmpfsMount() {
    if (mounted_ && ::umount2(path_.c_str(), 0) != 0) ::umount2(path_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool mounted() const { return mounted_; }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
};

}  // namespace conveyor::testing::e2e
