// The reader of one kernel file: YAML values checked and converted, with
// every message starting "origin:line:col: ". Internal to the config layer.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "conveyor/config/kernel_library.hpp"
#include "conveyor/conv/errors.hpp"

namespace conveyor::config::detail {

class Reader {
 public:
  explicit Reader(const std::string& origin) : origin_(origin) {}

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
    throw conv::ConfigError(where(mark) + ": " + message);
  }

  std::string where(const YAML::Mark& mark) const {
    if (mark.line < 0) return origin_;
    return origin_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }

  // Null nodes (`key:` with no value) carry no position; use the key's.
  static YAML::Mark mark_of(const YAML::Node& node, const YAML::Mark& fallback) {
    const YAML::Mark mark = node.Mark();
    return mark.line < 0 ? fallback : mark;
  }

  // yaml-cpp keeps both pairs of a duplicated key and lookups see only one:
  // walk every map and compare the keys' text.
  void check_duplicates(const YAML::Node& node) const;
  double number(const YAML::Node& node, const YAML::Mark& fallback, const std::string& what) const;
  int integer(const YAML::Node& node, const YAML::Mark& fallback, const std::string& what) const;
  std::string scalar(const YAML::Node& node, const YAML::Mark& fallback,
                     const std::string& what) const;
  // A matrix as rows of numbers (or one flat row), at most 31x31.
  conv::Kernel weights(const YAML::Node& node, const YAML::Mark& key,
                       const std::string& name) const;
  float to_float(double value, const YAML::Mark& mark, const std::string& what) const;
  void anchor(const YAML::Node& node, const YAML::Mark& key, conv::Kernel& kernel) const;

  // One `name: {...}` entry of `kernels`, and the whole document.
  KernelDefinition entry(const YAML::Node& key, const YAML::Node& value) const;
  std::vector<KernelDefinition> document(const YAML::Node& root) const;

 private:
  const std::string& origin_;
};

}  // namespace conveyor::config::detail
