// The one guarded YAML reader: every YAML text Conveyor reads (pipelines,
// kernel files, --set values) goes through load_guarded_yaml. Before any node
// tree is built, yaml-cpp's event parser runs over the text and is stopped as
// soon as the text breaks a limit, so the limits are measured, not estimated:
//   - bytes: size, NUL and control bytes, invalid UTF-8;
//   - nesting: lists and mappings counted as they open (quotes, comments and
//     block scalars cannot hide one);
//   - nodes: every node, aliases counted at the size of what they repeat (a
//     "billion laughs" file is refused), and no alias inside its own anchor;
//   - documents: exactly one; never YAML::LoadAll, which loops forever on
//     text such as ", a" (jbeder/yaml-cpp#1040);
//   - time: a budget for the whole pass.
// Internal to the config layer.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace conveyor::config::detail {

inline constexpr int kMaxYamlDepth = 32;
inline constexpr std::uint64_t kMaxYamlNodes = 1'000'000;
inline constexpr std::chrono::milliseconds kMaxYamlTime{5000};

struct YamlLimits {
  std::size_t max_bytes = std::size_t{1} << 20;
  int max_depth = kMaxYamlDepth;
  std::uint64_t max_nodes = kMaxYamlNodes;
  std::chrono::milliseconds max_time = kMaxYamlTime;
  // What one document is, for "a second YAML document; expected one <one>".
  std::string one = "document per file";
};

// A text refused by the guard or by yaml-cpp. mark(): 0-based line and column,
// line -1 when the problem has no position (the size). syntax(): yaml-cpp's
// own parse error (message() is its text); otherwise a limit, and message()
// says what was expected.
class YamlGuardError : public std::runtime_error {
 public:
  YamlGuardError(const YAML::Mark& mark, const std::string& message, bool syntax)
      : std::runtime_error(message), mark_(mark), syntax_(syntax) {}
  const YAML::Mark& mark() const { return mark_; }
  std::string message() const { return what(); }
  bool syntax() const { return syntax_; }
  // "line:col" (1-based), or empty without a position.
  std::string where() const;

 private:
  YAML::Mark mark_;
  bool syntax_;
};

// The document's tree; nullopt when the text holds none (blank, comments).
// Throws YamlGuardError.
std::optional<YAML::Node> load_guarded_yaml(std::string_view text, const YamlLimits& limits = {});

}  // namespace conveyor::config::detail
