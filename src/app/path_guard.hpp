// Commands that read some files and write others (apply, report --plot)
// refuse to write over what they read, or to write one file twice: the
// paths are compared as files (conveyor/util/file_set.hpp), as the pipeline
// loader does for `run` and `validate`.
#pragma once

#include <string>
#include <vector>

namespace conveyor::app {

struct NamedPath {
  std::string what;  // how the message names it: "the input", "--kernels-file", "-o"
  std::string path;  // as given
};

// Throws util::ExitError with exit code 2 naming both paths when a write is
// the same file as a read or as another write.
void refuse_overwrites(const std::string& command, const std::vector<NamedPath>& reads,
                       const std::vector<NamedPath>& writes);

}  // namespace conveyor::app
