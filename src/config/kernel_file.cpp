#include "kernel_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

#include "conveyor/conv/errors.hpp"
#include "conveyor/util/suggest.hpp"
#include "conveyor/util/text_matrix.hpp"

namespace conveyor::config::detail {
namespace {

const std::vector<std::string> kTopKeys{"version", "kernels"};
const std::vector<std::string> kEntryKeys{"description", "weights", "scale", "anchor",
                                          "family",      "params",  "alias"};

// Reads one file; every message starts with "origin:line:col: ".
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
  void check_duplicates(const YAML::Node& node) const {
    if (node.IsMap()) {
      std::map<std::string, YAML::Mark> seen;
      for (const auto& pair : node) {
        if (pair.first.IsScalar()) {
          const auto [it, inserted] = seen.emplace(pair.first.Scalar(), pair.first.Mark());
          if (!inserted) {
            fail(pair.first.Mark(), "duplicate key '" + it->first + "' (first defined at line " +
                                        std::to_string(it->second.line + 1) +
                                        "); expected each key once per map");
          }
        }
        check_duplicates(pair.second);
      }
    } else if (node.IsSequence()) {
      for (const auto& item : node) check_duplicates(item);
    }
  }

  double number(const YAML::Node& node, const YAML::Mark& fallback, const std::string& what) const {
    const YAML::Mark mark = mark_of(node, fallback);
    if (!node.IsScalar()) fail(mark, what + " is not a number; expected a number");
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") fail(mark, what + " is the string \"" + text + "\"; expected a number");
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos) {
      fail(mark, what + " '" + text + "' is not finite; expected a finite number");
    }
    std::string_view digits(text);
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    double value = 0;
    const char* end = digits.data() + digits.size();
    const auto result = std::from_chars(digits.data(), end, value);
    if (digits.empty() || result.ec != std::errc{} || result.ptr != end || !std::isfinite(value)) {
      fail(mark,
           what + " '" + text + "' is not a finite number; expected a number such as 1 or -0.5");
    }
    return value;
  }

  int integer(const YAML::Node& node, const YAML::Mark& fallback, const std::string& what) const {
    const double value = number(node, fallback, what);
    if (value != std::floor(value) || std::fabs(value) > 1e6) {
      fail(mark_of(node, fallback),
           what + " '" + node.Scalar() + "' is not valid; expected an integer");
    }
    return static_cast<int>(value);
  }

  std::string scalar(const YAML::Node& node, const YAML::Mark& fallback,
                     const std::string& what) const {
    if (!node.IsScalar())
      fail(mark_of(node, fallback), what + " is not a single value; expected text");
    return node.Scalar();
  }

  conv::Kernel weights(const YAML::Node& node, const YAML::Mark& key,
                       const std::string& name) const {
    const YAML::Mark mark = mark_of(node, key);
    const std::string label = "kernel '" + name + "'";
    if (!node.IsSequence() || node.size() == 0) {
      fail(mark, label +
                     " weights are empty or not a list; expected rows of numbers such as "
                     "[[0, 1, 0], [1, -4, 1], [0, 1, 0]]");
    }
    const bool one_row = std::all_of(node.begin(), node.end(),
                                     [](const YAML::Node& item) { return item.IsScalar(); });
    conv::Kernel kernel;
    kernel.name = name;
    std::size_t row_index = 0;
    auto add_row = [&](const YAML::Node& row) {
      ++row_index;
      const YAML::Mark row_mark = mark_of(row, mark);
      const std::string row_label = label + " row " + std::to_string(row_index);
      if (!row.IsSequence() || row.size() == 0) {
        fail(row_mark, row_label + " is empty or not a list; expected a list of numbers");
      }
      if (kernel.height > 0 && static_cast<int>(row.size()) != kernel.width) {
        fail(row_mark, row_label + " has " + std::to_string(row.size()) + " values; expected " +
                           std::to_string(kernel.width) +
                           " like row 1 (rows must be equal length)");
      }
      kernel.width = static_cast<int>(row.size());
      std::size_t column = 0;
      for (const auto& value : row) {
        ++column;
        const std::string what = label + " weight at row " + std::to_string(row_index) +
                                 ", column " + std::to_string(column);
        kernel.weights.push_back(
            to_float(number(value, row_mark, what), mark_of(value, row_mark), what));
      }
      ++kernel.height;
    };
    if (one_row) {
      add_row(node);
    } else {
      for (const auto& row : node) add_row(row);
    }
    if (kernel.width > conv::kMaxKernelSize || kernel.height > conv::kMaxKernelSize) {
      fail(mark, label + " is " + std::to_string(kernel.width) + "x" +
                     std::to_string(kernel.height) + "; expected at most " +
                     std::to_string(conv::kMaxKernelSize) + "x" +
                     std::to_string(conv::kMaxKernelSize));
    }
    return kernel;
  }

  float to_float(double value, const YAML::Mark& mark, const std::string& what) const {
    if (std::fabs(value) > 3.4e38)
      fail(mark, what + " does not fit a 32-bit float; expected a smaller number");
    return static_cast<float>(value);
  }

  void anchor(const YAML::Node& node, const YAML::Mark& key, conv::Kernel& kernel) const {
    const YAML::Mark mark = mark_of(node, key);
    const std::string label = "kernel '" + kernel.name + "' anchor";
    if (!node.IsSequence() || node.size() != 2) {
      fail(mark, label + " is not a pair; expected [x, y] (column, row from 0)");
    }
    const int x = integer(node[0], mark, label + " x");
    const int y = integer(node[1], mark, label + " y");
    if (x < 0 || x >= kernel.width || y < 0 || y >= kernel.height) {
      fail(mark, label + " [" + std::to_string(x) + ", " + std::to_string(y) +
                     "] is outside the kernel; expected x in 0.." +
                     std::to_string(kernel.width - 1) + " and y in 0.." +
                     std::to_string(kernel.height - 1));
    }
    kernel.anchor_x = x;
    kernel.anchor_y = y;
  }

  KernelDefinition entry(const YAML::Node& key, const YAML::Node& value) const;
  std::vector<KernelDefinition> document(const YAML::Node& root) const;

 private:
  const std::string& origin_;
};

bool valid_name(const std::string& name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

KernelDefinition Reader::entry(const YAML::Node& key, const YAML::Node& value) const {
  KernelDefinition def;
  def.name = scalar(key, key.Mark(), "a kernel name");
  def.source = where(key.Mark());
  const std::string label = "kernel '" + def.name + "'";
  if (!valid_name(def.name)) {
    fail(key.Mark(), "kernel name '" + def.name +
                         "' is not valid; expected a letter followed by letters, digits or '_'");
  }
  if (!value.IsMap()) {
    fail(mark_of(value, key.Mark()),
         label + " is not a map; expected keys such as description and weights");
  }
  std::map<std::string, std::pair<YAML::Node, YAML::Mark>> fields;
  for (const auto& pair : value) {
    const std::string field = scalar(pair.first, key.Mark(), label + " key");
    if (std::find(kEntryKeys.begin(), kEntryKeys.end(), field) == kEntryKeys.end()) {
      fail(pair.first.Mark(), label + " has unknown key '" + field + "'" +
                                  util::did_you_mean(field, kEntryKeys) +
                                  "; expected one of "
                                  "description, weights, scale, anchor, family, params, alias");
    }
    fields.emplace(field, std::make_pair(pair.second, pair.first.Mark()));
  }
  auto has = [&](const char* field) { return fields.count(field) != 0; };
  const int forms = int{has("weights")} + int{has("family")} + int{has("alias")};
  if (forms != 1) {
    fail(key.Mark(), label +
                         (forms == 0 ? " has no weights, family or alias"
                                     : " mixes weights, family and alias") +
                         "; expected exactly one of them");
  }
  if (has("description")) {
    const auto& [node, mark] = fields.at("description");
    def.description = node.IsNull() ? std::string{} : scalar(node, mark, label + " description");
    if (def.description.find('\n') != std::string::npos) {
      fail(mark, label + " description spans several lines; expected one line");
    }
  }
  for (const char* extra : {"scale", "anchor"}) {
    if (has(extra) && !has("weights")) {
      fail(fields.at(extra).second,
           label + " has '" + extra + "' without 'weights'; expected it only with fixed weights");
    }
  }
  if (has("params") && !has("family")) {
    fail(fields.at("params").second, label + " has 'params' without 'family'; expected a family");
  }
  if (has("weights")) {
    const auto& [node, mark] = fields.at("weights");
    def.kernel = weights(node, mark, def.name);
    if (has("scale")) {
      const auto& [scale_node, scale_mark] = fields.at("scale");
      const double scale = number(scale_node, scale_mark, label + " scale");
      for (float& w : def.kernel.weights)
        w = to_float(w * scale, scale_mark, label + " scaled weight");
    }
    if (has("anchor")) anchor(fields.at("anchor").first, fields.at("anchor").second, def.kernel);
    if ((def.kernel.width % 2 == 0 || def.kernel.height % 2 == 0) && !def.kernel.anchor_x) {
      fail(mark, label + " is " + std::to_string(def.kernel.width) + "x" +
                     std::to_string(def.kernel.height) +
                     " (even, no centre); expected an anchor such as anchor: [0, 0]");
    }
  } else if (has("family")) {
    const auto& [node, mark] = fields.at("family");
    def.family = scalar(node, mark, label + " family");
    const auto& families = KernelLibrary::family_names();
    if (std::find(families.begin(), families.end(), def.family) == families.end()) {
      fail(mark_of(node, mark), label + " family '" + def.family + "' is unknown" +
                                    util::did_you_mean(def.family, families) +
                                    "; expected box, gaussian, sobel or motion_blur");
    }
    if (has("params")) {
      const auto& [params, params_mark] = fields.at("params");
      if (!params.IsMap())
        fail(mark_of(params, params_mark), label + " params is not a map; expected {size: 3}");
      const auto& allowed = KernelLibrary::family_parameters(def.family);
      for (const auto& pair : params) {
        const std::string param = scalar(pair.first, params_mark, label + " parameter");
        if (std::find(allowed.begin(), allowed.end(), param) == allowed.end()) {
          fail(pair.first.Mark(), label + " parameter '" + param + "' is unknown for family " +
                                      def.family + util::did_you_mean(param, allowed));
        }
        def.defaults.values[param] = number(pair.second, pair.first.Mark(), label + " " + param);
      }
    }
  } else {
    const auto& [node, mark] = fields.at("alias");
    def.alias = scalar(node, mark, label + " alias");
  }
  return def;
}

std::vector<KernelDefinition> Reader::document(const YAML::Node& root) const {
  const YAML::Mark start = YAML::Mark();
  if (!root.IsMap()) {
    fail(mark_of(root, start), "the file is not a map; expected a map with a 'kernels' key");
  }
  check_duplicates(root);
  std::vector<KernelDefinition> result;
  bool found_kernels = false;
  for (const auto& pair : root) {
    const std::string key = scalar(pair.first, start, "a top-level key");
    if (key == "version") {
      const int version = integer(pair.second, pair.first.Mark(), "version");
      if (version != 1)
        fail(mark_of(pair.second, pair.first.Mark()),
             "version " + std::to_string(version) + " is not supported; expected 1");
    } else if (key == "kernels") {
      found_kernels = true;
      const YAML::Node& kernels = pair.second;
      if (!kernels.IsMap()) {
        fail(mark_of(kernels, pair.first.Mark()),
             "'kernels' is not a map; expected a map from names to definitions");
      }
      for (const auto& item : kernels) result.push_back(entry(item.first, item.second));
    } else {
      fail(pair.first.Mark(), "unknown top-level key '" + key + "'" +
                                  util::did_you_mean(key, kTopKeys) +
                                  "; expected 'version' or 'kernels'");
    }
  }
  if (!found_kernels)
    fail(mark_of(root, start), "no 'kernels' key; expected a map with a 'kernels' key");
  return result;
}

}  // namespace

std::vector<KernelDefinition> parse_kernel_file(std::string_view text, const std::string& origin) {
  Reader reader(origin);
  if (text.size() > kMaxKernelFileBytes) {
    throw conv::ConfigError(origin + ": file is " + std::to_string(text.size()) +
                            " bytes; expected a kernel file of at most " +
                            std::to_string(kMaxKernelFileBytes) + " bytes");
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& error) {
    reader.fail(error.mark, "invalid YAML: " + error.msg);
  }
  if (documents.empty()) {
    throw conv::ConfigError(origin + ": the file is empty; expected a map with a 'kernels' key");
  }
  if (documents.size() > 1) {
    reader.fail(reader.mark_of(documents[1], YAML::Mark()), "a second YAML document; expected one");
  }
  try {
    return reader.document(documents.front());
  } catch (const YAML::Exception& error) {
    reader.fail(error.mark, error.msg);
  }
}

}  // namespace conveyor::config::detail
