// PipelineError and positions: how every pipeline problem is printed.
#include <utility>

#include "conveyor/config/pipeline_loader.hpp"

namespace conveyor::config {
namespace {

std::string join(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& diagnostic : diagnostics) {
    if (!text.empty()) text += '\n';
    text += diagnostic.str();
  }
  return text;
}

}  // namespace

std::string Mark::str() const {
  std::string text = file.empty() ? std::string("<pipeline>") : file;
  if (line > 0) {
    text += ':' + std::to_string(line);
    if (column > 0) text += ':' + std::to_string(column);
  }
  return text;
}

const Mark& Where::of(const std::string& key) const {
  const auto found = keys.find(key);
  return found == keys.end() ? mark : found->second;
}

std::string Diagnostic::str() const {
  // No "error:" here: the command prints every line of an error once, after
  // its own "conveyor: error: " prefix.
  return mark.str() + ": " + message;
}

PipelineError::PipelineError(std::vector<Diagnostic> diagnostics)
    : ConfigError(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

PipelineError::PipelineError(Mark mark, std::string message)
    : PipelineError(std::vector<Diagnostic>{Diagnostic{std::move(mark), std::move(message)}}) {}

}  // namespace conveyor::config
