// Loading and validating a pipeline file. Everything is checked before the
// first frame; every problem is reported with file:line:column, the offending
// value and what was expected, all problems of a file at once.
//
// Relative paths: `include_kernels` resolve against the pipeline file's folder
// (they belong with the pipeline); source, sink and metrics paths resolve
// against the working directory, as with any command-line tool.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "conveyor/config/convolve_spec.hpp"
#include "conveyor/config/errors.hpp"
#include "conveyor/config/kernel_library.hpp"
#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/conv/errors.hpp"

namespace YAML {
class Node;
}

namespace conveyor::config {

inline constexpr std::size_t kMaxPipelineBytes = 1 << 20;  // 1 MiB
inline constexpr int kMaxPipelineDepth = 32;               // nesting levels

struct Diagnostic {
  Mark mark;
  std::string message;      // "<key path>: <value> ...; expected ..."
  std::string str() const;  // "file:line:col: message"
};

// One or more problems of one pipeline; what() lists them one per line.
class PipelineError : public ConfigError {
 public:
  explicit PipelineError(std::vector<Diagnostic> diagnostics);
  PipelineError(Mark mark, std::string message);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// `overrides` are --set arguments "key.path=value", applied in order before
// validation; list items by index ("stages.0.bank.1.stride=2"); the value is
// YAML ("stride=[2,1]"). `library` is the base kernel library; null loads
// KernelLibrary::load_default(). The pipeline's include_kernels are added to a
// copy of it.
PipelineSpec load_pipeline(const std::filesystem::path& path,
                           const std::vector<std::string>& overrides = {},
                           const KernelLibrary* library = nullptr);
PipelineSpec load_pipeline_from_string(std::string_view text, const std::string& name_for_errors,
                                       const std::vector<std::string>& overrides = {},
                                       const KernelLibrary* library = nullptr);

// One `source:` or `sinks:` item read alone from YAML text, exactly as the
// loader reads it inside a pipeline (for tests and for commands that build a
// pipeline themselves). Throws PipelineError.
SourceSpec read_source_yaml(std::string_view yaml, const std::string& name_for_errors = "source");
SinkSpec read_sink_yaml(std::string_view yaml, const std::string& name_for_errors = "sink");

// Applies --set overrides to a parsed document. Throws PipelineError for a
// malformed override, an index past a list's end, or a path through a scalar.
// Unknown keys are left for validation to report (as coming from --set).
void apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides);

}  // namespace conveyor::config
