#include "kernel_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "conveyor/conv/errors.hpp"
#include "conveyor/util/suggest.hpp"
#include "conveyor/util/text_matrix.hpp"
#include "kernel_file_reader.hpp"
#include "yaml_guard.hpp"

namespace conveyor::config::detail {
namespace {

const std::vector<std::string> kTopKeys{"version", "kernels"};
const std::vector<std::string> kEntryKeys{"description", "weights", "scale", "anchor",
                                          "family",      "params",  "alias"};

bool valid_name(const std::string& name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

}  // namespace

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
    if (const std::string sum = conv::weight_sum_problem(def.kernel); !sum.empty()) fail(mark, sum);
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

std::vector<KernelDefinition> parse_kernel_file(std::string_view text, const std::string& origin) {
  Reader reader(origin);
  if (text.size() > kMaxKernelFileBytes) {
    throw conv::ConfigError(origin + ": file is " + std::to_string(text.size()) +
                            " bytes; expected a kernel file of at most " +
                            std::to_string(kMaxKernelFileBytes) + " bytes");
  }
  YamlLimits limits;
  limits.max_bytes = kMaxKernelFileBytes;
  limits.one = "kernel library per file";
  std::optional<YAML::Node> root;
  try {
    root = load_guarded_yaml(text, limits);
  } catch (const YamlGuardError& error) {
    reader.fail(error.mark(), (error.syntax() ? "invalid YAML: " : "") + error.message());
  }
  if (!root) {
    throw conv::ConfigError(origin + ": the file is empty; expected a map with a 'kernels' key");
  }
  try {
    return reader.document(*root);
  } catch (const YAML::Exception& error) {
    reader.fail(error.mark, error.msg);
  }
}

}  // namespace conveyor::config::detail
