#include "conveyor/config/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace conveyor::config::pipeline_detail {
namespace {

bool starts_with_path(const std::string& path, const std::string& prefix) {
  return path == prefix ||
         (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
          path[prefix.size()] == '.');
}

// yaml-cpp marks count from 0; messages count from 1.
Mark from_yaml(const std::string& file, const YAML::Mark& mark) {
  return Mark{file, mark.line + 1, mark.column + 1};
}

std::string lowered(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

Context::Context(std::string file, std::vector<OverrideOrigin> overrides)
    : file_(std::move(file)), overrides_(std::move(overrides)) {}

bool Context::from_override(const std::string& path) const {
  for (const auto& override : overrides_) {
    if (starts_with_path(path, override.path)) return true;
  }
  return false;
}

Mark Context::mark(const YAML::Node& node, const std::string& path, const Mark& fallback) const {
  // The last override wins, so it is the one to blame.
  for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
    if (starts_with_path(path, it->path)) return Mark{file_ + " (--set " + it->text + ")", 0, 0};
  }
  if (node.Mark().is_null()) {
    // Created by an override on the way to a deeper key.
    for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
      if (starts_with_path(it->path, path)) return Mark{file_ + " (--set " + it->text + ")", 0, 0};
    }
    return fallback.file.empty() ? Mark{file_, 0, 0} : fallback;
  }
  // An empty value's mark points past it; its key (the fallback) is clearer.
  if (node.IsNull() && fallback.line > 0) return fallback;
  return from_yaml(file_, node.Mark());
}

void Context::error(const Mark& mark, std::string message) {
  diagnostics_.push_back(Diagnostic{mark, std::move(message)});
}

void Context::throw_if_failed() {
  if (diagnostics_.empty()) return;
  // In file order, as a reader goes through the file; --set ones (line 0) first.
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return a.mark.line != b.mark.line ? a.mark.line < b.mark.line
                                                       : a.mark.column < b.mark.column;
                   });
  throw PipelineError(std::move(diagnostics_));
}

std::string join_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + '.' + key;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: {
      std::string text = node.Scalar();
      if (text.size() > 60) text = text.substr(0, 57) + "...";
      return "'" + text + "'";
    }
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "nothing";
  }
}

std::optional<std::int64_t> parse_int(const std::string& text) {
  std::size_t begin = (!text.empty() && text[0] == '+') ? 1 : 0;
  if (begin == text.size()) return std::nullopt;
  std::int64_t value = 0;
  const char* first = text.data() + begin;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc{} || end != last) return std::nullopt;
  return value;
}

std::optional<double> parse_real(const std::string& text) {
  std::size_t begin = (!text.empty() && text[0] == '+') ? 1 : 0;
  if (begin == text.size()) return std::nullopt;
  double value = 0;
  const char* first = text.data() + begin;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, value, std::chars_format::general);
  if (error != std::errc{} || end != last || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(const std::string& text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

bool read_string(Context& ctx, const Value& value, std::string& out, const std::string& expect) {
  if (!value.node.IsScalar()) {
    ctx.error(value.mark,
              value.path + ": " + describe(value.node) + " is not text; expected " + expect);
    return false;
  }
  out = value.node.Scalar();
  return true;
}

bool read_int(Context& ctx, const Value& value, std::int64_t min, std::int64_t max,
              std::int64_t& out, const std::string& expect) {
  std::optional<std::int64_t> number;
  if (value.node.IsScalar()) number = parse_int(value.node.Scalar());
  if (!number) {
    const bool scalar = value.node.IsScalar();
    ctx.error(value.mark, value.path + ": " + describe(value.node) +
                              (scalar ? " is not an integer" : " where a number belongs") +
                              "; expected " + expect);
    return false;
  }
  if (*number < min || *number > max) {
    ctx.error(value.mark,
              value.path + ": " + describe(value.node) + " is out of range; expected " + expect);
    return false;
  }
  out = *number;
  return true;
}

bool read_int(Context& ctx, const Value& value, int min, int max, int& out,
              const std::string& expect) {
  std::int64_t wide = 0;
  if (!read_int(ctx, value, std::int64_t{min}, std::int64_t{max}, wide, expect)) return false;
  out = static_cast<int>(wide);
  return true;
}

bool read_real(Context& ctx, const Value& value, double min, double max, double& out,
               const std::string& expect, bool above_min) {
  std::optional<double> number;
  if (value.node.IsScalar()) number = parse_real(value.node.Scalar());
  if (!number) {
    std::string problem = " is not a number";
    if (!value.node.IsScalar()) {
      problem = " where a number belongs";
    } else {
      const std::string text = lowered(value.node.Scalar());
      // .nan and .inf are YAML numbers, but no weight or size can use them.
      if (text.find("nan") != std::string::npos || text.find("inf") != std::string::npos)
        problem = " is not a finite number";
    }
    ctx.error(value.mark,
              value.path + ": " + describe(value.node) + problem + "; expected " + expect);
    return false;
  }
  if (*number < min || *number > max || (above_min && *number == min)) {
    ctx.error(value.mark,
              value.path + ": " + describe(value.node) + " is out of range; expected " + expect);
    return false;
  }
  out = *number;
  return true;
}

bool read_bool(Context& ctx, const Value& value, bool& out) {
  std::optional<bool> flag;
  if (value.node.IsScalar()) flag = parse_bool(value.node.Scalar());
  if (!flag) {
    ctx.error(value.mark, value.path + ": " + describe(value.node) +
                              " is not a boolean; expected true or false");
    return false;
  }
  out = *flag;
  return true;
}

std::optional<std::vector<Value>> read_list(Context& ctx, const Value& value,
                                            const std::string& expect) {
  if (!value.node.IsSequence()) {
    ctx.error(value.mark,
              value.path + ": " + describe(value.node) + " is not a list; expected " + expect);
    return std::nullopt;
  }
  std::vector<Value> items;
  std::size_t index = 0;
  for (const auto& item : value.node) {
    const std::string path = join_path(value.path, std::to_string(index++));
    items.push_back(Value{item, path, ctx.mark(item, path, value.mark)});
  }
  return items;
}

std::optional<std::vector<float>> read_floats(Context& ctx, const Value& value,
                                              std::size_t max_items, const std::string& expect) {
  auto items = read_list(ctx, value, expect);
  if (!items) return std::nullopt;
  if (items->empty() || items->size() > max_items) {
    ctx.error(value.mark, value.path + ": a list of " + std::to_string(items->size()) +
                              " items; expected " + expect);
    return std::nullopt;
  }
  std::vector<float> numbers;
  bool ok = true;
  for (const auto& item : *items) {
    double number = 0;
    const double limit = std::numeric_limits<float>::max();
    ok = read_real(ctx, item, -limit, limit, number, expect) && ok;
    numbers.push_back(static_cast<float>(number));
  }
  if (!ok) return std::nullopt;
  return numbers;
}

}  // namespace conveyor::config::pipeline_detail
