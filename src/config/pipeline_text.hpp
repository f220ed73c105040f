// Checks on the raw text of a pipeline before yaml-cpp sees it, and parsing
// into exactly one document.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace conveyor::config::pipeline_detail {

// Throws PipelineError for an empty, oversized, binary (NUL, control bytes,
// invalid UTF-8) or too deeply nested text. The depth is estimated from
// indentation, "- " items and flow brackets, so yaml-cpp never recurses far.
void check_text(std::string_view text, const std::string& file);

// Parses one YAML document; syntax errors and extra documents are
// PipelineErrors with line and column.
YAML::Node parse_document(std::string_view text, const std::string& file);

}  // namespace conveyor::config::pipeline_detail
