// Checks on the raw text of a pipeline before yaml-cpp sees it, and parsing
// into exactly one document through the guarded YAML reader (yaml_guard.hpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "conveyor/config/pipeline_loader.hpp"

namespace conveyor::config::pipeline_detail {

// Throws PipelineError for an oversized or empty text.
void check_text(std::string_view text, const std::string& file);

// Parses one YAML document with the guard's limits (bytes, nesting, nodes and
// aliases, one document, time); every problem is a PipelineError with line and
// column.
YAML::Node parse_document(std::string_view text, const std::string& file);

// A YAML value of a --set override, through the same guard. `mark` names the
// override; the value is null for a blank text.
YAML::Node parse_override_value(const std::string& text, const Mark& mark, const std::string& path);

}  // namespace conveyor::config::pipeline_detail
