// refuse_overwrites(): see path_guard.hpp.
#include "path_guard.hpp"

#include "conveyor/util/exit_codes.hpp"
#include "conveyor/util/file_set.hpp"

namespace conveyor::app {
namespace {

using util::FileSet;

[[noreturn]] void refuse(const NamedPath& write, const NamedPath& other, const std::string& why,
                         const std::string& expected) {
  throw util::ExitError(util::ExitCode::Usage,
                        write.what + " '" + write.path + "' is the same file as " + other.what +
                            " '" + other.path + "': " + why + "; expected " + expected);
}

}  // namespace

void refuse_overwrites(const std::string& command, const std::vector<NamedPath>& reads,
                       const std::vector<NamedPath>& writes) {
  std::vector<FileSet> read_files;
  for (const auto& read : reads) read_files.push_back(FileSet::file(read.path));
  std::vector<FileSet> write_files;
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const FileSet file = FileSet::file(writes[i].path);
    for (std::size_t r = 0; r < reads.size(); ++r) {
      if (util::overlap(file, read_files[r]))
        refuse(writes[i], reads[r], command + " would overwrite a file it reads",
               "a different path");
    }
    for (std::size_t w = 0; w < write_files.size(); ++w) {
      if (util::overlap(file, write_files[w]))
        refuse(writes[i], writes[w], command + " would write one file twice",
               "a different path for each output");
    }
    write_files.push_back(file);
  }
}

}  // namespace conveyor::app
