#include "pipeline_text.hpp"

#include <algorithm>

#include "yaml_guard.hpp"

namespace conveyor::config::pipeline_detail {
namespace {

[[noreturn]] void fail(const std::string& file, int line, int column, const std::string& message) {
  throw PipelineError(Mark{file, line, column}, message);
}

detail::YamlLimits pipeline_limits() {
  detail::YamlLimits limits;
  limits.max_bytes = kMaxPipelineBytes;
  limits.max_depth = kMaxPipelineDepth;
  limits.one = "pipeline per file";
  return limits;
}

}  // namespace

void check_text(std::string_view text, const std::string& file) {
  if (text.size() > kMaxPipelineBytes) {
    fail(file, 0, 0,
         "file is " + std::to_string(text.size()) + " bytes; expected at most " +
             std::to_string(kMaxPipelineBytes) + " bytes for a pipeline");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    fail(file, 0, 0, "file is empty; expected a pipeline (source, stages, sinks)");
  }
}

YAML::Node parse_document(std::string_view text, const std::string& file) {
  std::optional<YAML::Node> root;
  try {
    root = detail::load_guarded_yaml(text, pipeline_limits());
  } catch (const detail::YamlGuardError& e) {
    const int line = e.mark().line < 0 ? 0 : e.mark().line + 1;
    const int column = e.mark().line < 0 ? 0 : e.mark().column + 1;
    fail(file, line, column, (e.syntax() ? "YAML syntax: " : "") + e.message());
  }
  if (!root || !root->IsDefined() || root->IsNull()) {
    fail(file, 0, 0, "no content; expected a pipeline (source, stages, sinks)");
  }
  return *root;
}

YAML::Node parse_override_value(const std::string& text, const Mark& mark,
                                const std::string& path) {
  if (text.find_first_not_of(" \t") == std::string::npos) return YAML::Node();  // "key=" clears
  // The value as the message quotes it: long ones are cut.
  const std::string shown = text.size() > 60 ? text.substr(0, 57) + "..." : text;
  const auto refuse = [&](const std::string& why) -> PipelineError {
    return PipelineError(mark, path + ": value '" + shown + "' " + why +
                                   "; expected one YAML value such as 2, clip.mp4 or [2, 1]");
  };
  // A document marker would make an empty first document: a silent reset.
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = std::string_view(text).substr(start, end - start);
    const bool marker = (line.substr(0, 3) == "---" || line.substr(0, 3) == "...") &&
                        (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    if (marker || line.substr(0, 1) == "%") {
      throw refuse("holds a YAML document marker or directive ('" + std::string(line.substr(0, 3)) +
                   "')");
    }
    start = end + 1;
  }
  try {
    detail::YamlLimits limits = pipeline_limits();
    limits.one = "value";
    std::optional<YAML::Node> value = detail::load_guarded_yaml(text, limits);
    if (!value) throw refuse("holds no value (only a comment?)");
    return *value;
  } catch (const detail::YamlGuardError& e) {
    const std::string where = e.where().empty() ? "" : " at " + e.where();
    if (e.syntax()) throw refuse("is not valid YAML" + where + " (" + e.message() + ")");
    throw PipelineError(mark, path + ": value '" + shown + "'" + where + ": " + e.message());
  }
}

}  // namespace conveyor::config::pipeline_detail
