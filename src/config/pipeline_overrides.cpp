// --set key.path=value: edits the parsed document before validation, so an
// override is checked exactly like the file (and errors say it came from --set).
#include <cctype>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/config/yaml_reader.hpp"
#include "pipeline_text.hpp"

namespace conveyor::config {
namespace pipeline_detail {
namespace {

Mark origin(const std::string& file, const std::string& text) {
  return Mark{file.empty() ? "--set " + text : file + " (--set " + text + ")", 0, 0};
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    segments.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return segments;
}

// A list index, or nullopt when `segment` is not one.
std::optional<std::size_t> index_of(const std::string& segment) {
  const auto number = parse_int(segment);
  if (!number || *number < 0 || segment[0] == '+') return std::nullopt;
  return static_cast<std::size_t>(*number);
}

}  // namespace

OverrideOrigin parse_override(const std::string& text, const std::string& file,
                              std::string& value) {
  const std::size_t equals = text.find('=');
  std::string path = text.substr(0, equals);
  // stages[0].bank[1] is accepted as stages.0.bank.1
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '[') path[i] = '.';
    if (path[i] == ']') path.erase(i--, 1);
  }
  bool well_formed = equals != std::string::npos && !path.empty();
  for (const auto& segment : split_path(path)) {
    well_formed = well_formed && !segment.empty();
    for (const char c : segment) {
      well_formed =
          well_formed && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    }
  }
  if (!well_formed) {
    throw PipelineError(origin(file, text),
                        "'" + text +
                            "' is not an override; expected key.path=value, e.g. "
                            "runtime.threads=2 or stages.0.bank.1.stride=2");
  }
  value = text.substr(equals + 1);
  return OverrideOrigin{path, text};
}

void apply_overrides_to(YAML::Node& root, const std::vector<std::string>& overrides,
                        const std::string& file) {
  for (const auto& text : overrides) {
    std::string value_text;
    const OverrideOrigin override = parse_override(text, file, value_text);
    const Mark mark = origin(file, text);
    // Null for "key=" (clears the value); anything else is one guarded YAML value.
    YAML::Node value = parse_override_value(value_text, mark, override.path);
    if (!root.IsMap())
      throw PipelineError(mark, "the pipeline is not a mapping; cannot apply --set");
    YAML::Node current(root);  // a second handle; reset() moves it, never assigns through it
    std::string walked;
    const auto segments = split_path(override.path);
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const std::string& segment = segments[i];
      const bool last = i + 1 == segments.size();
      const std::string here = join_path(walked, segment);
      YAML::Node child;
      if (current.IsMap()) {
        const YAML::Node& view = current;
        if (last && view[segment].IsDefined())
          current.remove(segment);  // do not write through aliases
        if (last) {
          current[segment] = value;
          break;
        }
        if (!view[segment].IsDefined() || view[segment].IsNull())
          current[segment] = YAML::Node(YAML::NodeType::Map);
        child.reset(current[segment]);
      } else if (current.IsSequence()) {
        const auto index = index_of(segment);
        if (!index || *index > current.size()) {
          throw PipelineError(mark, here + ": '" + segment + "' is not an index of a list of " +
                                        std::to_string(current.size()) + " items; expected 0 to " +
                                        std::to_string(current.size()));
        }
        if (*index == current.size()) current.push_back(YAML::Node(YAML::NodeType::Map));
        if (last) {
          current[*index] = value;
          break;
        }
        child.reset(current[*index]);
      } else {
        throw PipelineError(mark, walked + ": " + describe(current) +
                                      " is a value, not a mapping or list; cannot set " +
                                      override.path);
      }
      current.reset(child);
      walked = here;
    }
  }
}

}  // namespace pipeline_detail

void apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides) {
  pipeline_detail::apply_overrides_to(root, overrides, "");
}

}  // namespace conveyor::config
