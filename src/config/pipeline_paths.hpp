// Every path a pipeline reads and writes, and the check that no output is an
// input, the pipeline file, a kernel file or another output (compared as
// files: conveyor/util/file_set.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "conveyor/util/file_set.hpp"

namespace conveyor::config::pipeline_detail {

enum class PathRole { Input, PipelineFile, KernelFile, Output };

struct PathUse {
  std::string key;  // "metrics.trace", "source.path", "the pipeline file"
  Mark mark;        // where the YAML names it; no line for files it does not name
  PathRole role;
  util::FileSet files;
  // Written only on demand (display snapshots): against inputs, only the
  // files that exist now count.
  bool on_demand = false;
};

// A kernel file the pipeline's library was read from.
struct KernelFileUse {
  std::filesystem::path path;
  std::string key;  // "include_kernels.0", "CONVEYOR_KERNELS", "the kernel library"
  Mark mark;
};

// Every path the pipeline reads and writes: what each node's parameters
// declare (NodeParams::paths), the pipeline and kernel files and the metrics
// files. `pipeline_file` is empty for a pipeline loaded from a string.
std::vector<PathUse> collect_path_uses(const PipelineSpec& spec,
                                       const std::filesystem::path& pipeline_file,
                                       const std::vector<KernelFileUse>& kernel_files);

// Reports, at the output's position and naming both keys, every output that
// is the same file as an input (or the pipeline or a kernel file) or as
// another output.
void check_path_uses(Context& ctx, const std::vector<PathUse>& uses);

}  // namespace conveyor::config::pipeline_detail
