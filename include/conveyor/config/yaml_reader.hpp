// Strict, position-aware reading of yaml-cpp nodes: the pipeline loader and
// every node type's parameter reader (node_registry.hpp) use it.
//
// yaml-cpp converts leniently (yes/on as booleans, .nan as a number), keeps
// duplicate keys silently and loses positions on missing keys; this layer
// reads every value itself, never mutates the tree (no node = node[key]) and
// turns each problem into a Diagnostic with the YAML position, the key path,
// the offending value and what was expected.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/util/suggest.hpp"

namespace conveyor::config::pipeline_detail {

// One --set override: its key path ("runtime.threads") and the whole argument.
struct OverrideOrigin {
  std::string path;
  std::string text;
};

// Collects the diagnostics of one pipeline document.
class Context {
 public:
  // `document` names the whole file in messages about its top level.
  Context(std::string file, std::vector<OverrideOrigin> overrides,
          std::string document = "the pipeline");

  // The node's position; "<file> (--set ...)" for values given with --set.
  Mark mark(const YAML::Node& node, const std::string& path, const Mark& fallback = {}) const;
  void error(const Mark& mark, std::string message);
  bool failed() const { return !diagnostics_.empty(); }
  void throw_if_failed();  // throws PipelineError with everything collected
  bool from_override(const std::string& path) const;
  const std::string& file() const { return file_; }
  const std::string& document() const { return document_; }

 private:
  std::string file_;
  std::string document_;
  std::vector<OverrideOrigin> overrides_;
  std::vector<Diagnostic> diagnostics_;
};

// A value together with its key path (as --set spells it) and position.
struct Value {
  YAML::Node node;
  std::string path;
  Mark mark;
};

std::string join_path(const std::string& parent, const std::string& key);
std::string join_names(const std::vector<std::string>& names);
// How a value shows up in a message: 'abc', a list, a mapping, nothing.
std::string describe(const YAML::Node& node);

// Strict scalars: decimal integers only; finite decimal reals only;
// true/false only (YAML 1.2 core), never yes/no/on/off.
std::optional<std::int64_t> parse_int(const std::string& text);
std::optional<double> parse_real(const std::string& text);
std::optional<bool> parse_bool(const std::string& text);

bool read_string(Context& ctx, const Value& value, std::string& out, const std::string& expect);
bool read_int(Context& ctx, const Value& value, std::int64_t min, std::int64_t max,
              std::int64_t& out, const std::string& expect);
bool read_int(Context& ctx, const Value& value, int min, int max, int& out,
              const std::string& expect);
// Finite reals in [min, max]; `above_min` makes the lower bound exclusive.
bool read_real(Context& ctx, const Value& value, double min, double max, double& out,
               const std::string& expect, bool above_min = false);
bool read_bool(Context& ctx, const Value& value, bool& out);
// A list; a single scalar where a list is expected is an error, not a one-item list.
std::optional<std::vector<Value>> read_list(Context& ctx, const Value& value,
                                            const std::string& expect);
// A list of 1 to `max_items` finite reals within +-FLT_MAX.
std::optional<std::vector<float>> read_floats(Context& ctx, const Value& value,
                                              std::size_t max_items, const std::string& expect);

// Pieces several sections and node types share.
bool read_color(Context& ctx, const Value& value, ColorMode& out);
bool read_border(Context& ctx, const Value& value, conv::Border& out);
// `size: 3` or `size: [x, y]`, each in [min, max]; `expect` says so in
// messages ("a step from 1 to 64, or [sx, sy]").
bool read_int_pair(Context& ctx, const Value& value, int min, int max, int& x, int& y,
                   const std::string& expect);
// `stride: 2` or `stride: [sx, sy]`, 1..64.
bool read_stride(Context& ctx, const Value& value, int& x, int& y);
// Names used in references ("stage.filter"): letters, digits, _ and -.
bool read_name(Context& ctx, const Value& value, std::string& out, const std::string& what);
// Frames per second above 0, at most 1000.
bool read_fps(Context& ctx, const Value& value, double& out);
// Four printable characters (a fourcc); `example` as in "e.g. MJPG or YUYV".
bool read_fourcc(Context& ctx, const Value& value, std::string& out, const std::string& example);

// One of a fixed set of names, with a "did you mean" hint.
template <class E>
bool read_enum(Context& ctx, const Value& value,
               const std::vector<std::pair<std::string, E>>& table, E& out,
               const std::string& what);

// A mapping being read. Reports a non-mapping value and duplicate keys when
// constructed, and every key nobody asked for in finish().
class MapReader {
 public:
  MapReader(Context& ctx, const Value& value, std::string what);

  bool valid() const { return valid_; }
  const Value& value() const { return value_; }
  // The key's value; nullopt when absent or null. Either way the key is allowed.
  std::optional<Value> get(const std::string& key);
  // Like get(), but reports a missing key at the mapping's position.
  std::optional<Value> required(const std::string& key, const std::string& expect);
  bool has(const std::string& key) const;
  std::vector<std::string> keys() const;  // in file order, duplicates dropped
  // `key: null` or `key: ~` written out (yaml-cpp makes it the same null as
  // `key:`), so `type: null` can name the null sink.
  bool explicit_null(const std::string& key) const;
  // Where the key itself was written (the mapping's position when absent).
  Mark key_mark(const std::string& key) const;
  void allow(const std::vector<std::string>& keys);
  void finish();
  Where where() const;

 private:
  struct Entry {
    std::string key;
    Value value;
    Mark key_mark;
    bool explicit_null = false;
  };
  const Entry* find(const std::string& key) const;

  Context& ctx_;
  Value value_;
  std::string what_;
  bool valid_ = false;
  std::vector<Entry> entries_;
  std::vector<std::string> allowed_;
};

template <class E>
bool read_enum(Context& ctx, const Value& value,
               const std::vector<std::pair<std::string, E>>& table, E& out,
               const std::string& what) {
  std::vector<std::string> names;
  for (const auto& [name, item] : table) names.push_back(name);
  std::string text;
  if (!read_string(ctx, value, text, what + ": one of " + join_names(names))) return false;
  for (const auto& [name, item] : table) {
    if (name == text) {
      out = item;
      return true;
    }
  }
  ctx.error(value.mark, value.path + ": unknown " + what + " '" + text + "'; expected one of " +
                            join_names(names) + util::did_you_mean(text, names));
  return false;
}

}  // namespace conveyor::config::pipeline_detail

namespace conveyor::config::pipeline_detail {

// Splits "key.path=value" (also "stages[0].stride=2"); the path is normalised
// to dots. Throws PipelineError for a malformed override.
OverrideOrigin parse_override(const std::string& text, const std::string& file, std::string& value);

// apply_overrides() with errors naming the pipeline file as well.
void apply_overrides_to(YAML::Node& root, const std::vector<std::string>& overrides,
                        const std::string& file);

}  // namespace conveyor::config::pipeline_detail
