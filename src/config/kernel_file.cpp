#include "kernel_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "conveyor/config/errors.hpp"
#include "kernel_file_reader.hpp"
#include "yaml_guard.hpp"

namespace conveyor::config::detail {
namespace {

using pipeline_detail::read_enum;
using pipeline_detail::read_string;

bool valid_name(const std::string& name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

void read_description(Context& ctx, MapReader& map, KernelDefinition& def) {
  const auto v = map.get("description");
  if (!v || !read_string(ctx, *v, def.description, "one line of text")) return;
  if (def.description.find('\n') != std::string::npos)
    ctx.error(v->mark, v->path + ": spans several lines; expected one line");
}

void read_fixed(Context& ctx, MapReader& map, KernelDefinition& def) {
  const auto v = map.required("weights", "rows of numbers");
  if (!v) return;
  auto kernel = read_weights(ctx, *v, def.name);
  if (!kernel) return;
  def.kernel = std::move(*kernel);
  if (auto scale = map.get("scale")) apply_scale(ctx, *scale, def.kernel);
  if (const std::string sum = conv::weight_sum_problem(def.kernel); !sum.empty())
    ctx.error(v->mark, v->path + ": " + sum);
  if (auto anchor = map.get("anchor")) read_anchor(ctx, *anchor, def.kernel);
  if ((def.kernel.width % 2 == 0 || def.kernel.height % 2 == 0) && !def.kernel.anchor_x) {
    ctx.error(v->mark, v->path + ": a " + std::to_string(def.kernel.width) + "x" +
                           std::to_string(def.kernel.height) +
                           " kernel (even, no centre); expected an anchor such as anchor: [0, 0]");
  }
}

void read_family(Context& ctx, MapReader& map, KernelDefinition& def) {
  const auto v = map.required("family", "a family name");
  std::vector<std::pair<std::string, std::string>> table;
  for (const auto& name : KernelLibrary::family_names()) table.emplace_back(name, name);
  if (!v || !read_enum(ctx, *v, table, def.family, "family")) {
    map.get("params");  // its keys depend on the family: not judged without one
    return;
  }
  const auto params = map.get("params");
  if (!params) return;
  MapReader values(ctx, *params, "the parameters of family " + def.family);
  if (!values.valid()) return;
  const auto& allowed = KernelLibrary::family_parameters(def.family);
  for (const auto& key : allowed) {
    if (auto value = values.get(key)) {
      double number = 0;
      if (read_number(ctx, *value, number, "a number")) def.defaults.values[key] = number;
    }
  }
  values.finish();
}

// One `name: {...}` entry of `kernels`.
std::optional<KernelDefinition> read_entry(Context& ctx, const std::string& name,
                                           const Mark& key_mark, const Value& value) {
  KernelDefinition def;
  def.name = name;
  def.source = key_mark.str();
  if (!valid_name(name)) {
    ctx.error(key_mark, value.path + ": kernel name '" + name +
                            "' is not valid; expected a letter followed by letters, digits or '_'");
    return std::nullopt;
  }
  MapReader map(ctx, value, "a kernel definition");
  if (!map.valid()) return std::nullopt;
  const auto keys = map.keys();
  const auto has = [&](const char* key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  const int forms = int{has("weights")} + int{has("family")} + int{has("alias")};
  if (forms != 1) {
    ctx.error(key_mark, value.path + ": " +
                            (forms == 0 ? "has no weights, family or alias"
                                        : "mixes weights, family and alias") +
                            "; expected exactly one of them");
  }
  read_description(ctx, map, def);
  for (const char* extra : {"scale", "anchor"}) {
    if (has(extra) && !has("weights")) {
      ctx.error(map.key_mark(extra), value.path + "." + extra + ": without weights; expected '" +
                                         extra + "' only with fixed weights");
    }
  }
  if (has("params") && !has("family"))
    ctx.error(map.key_mark("params"), value.path + ".params: without family; expected a family");
  if (forms == 1 && has("weights")) read_fixed(ctx, map, def);
  if (forms == 1 && has("family")) read_family(ctx, map, def);
  if (forms == 1 && has("alias")) {
    if (auto v = map.required("alias", "the name of a kernel"))
      read_string(ctx, *v, def.alias, "the name of a kernel");
  }
  map.allow({"weights", "scale", "anchor", "family", "params", "alias"});
  map.finish();
  return def;
}

}  // namespace

std::vector<KernelDefinition> read_kernel_document(Context& ctx, const YAML::Node& root) {
  MapReader top(ctx, Value{root, "", ctx.mark(root, "", Mark{ctx.file(), 1, 1})},
                "a kernel library (version, kernels)");
  if (!top.valid()) return {};
  if (auto v = top.get("version")) {
    int version = 0;
    if (read_whole(ctx, *v, INT32_MIN, INT32_MAX, version, "1") && version != 1)
      ctx.error(v->mark,
                v->path + ": version " + std::to_string(version) + " is not supported; expected 1");
  }
  std::vector<KernelDefinition> result;
  const auto kernels = top.required("kernels", "a map from kernel names to definitions");
  top.finish();
  if (!kernels) return result;
  MapReader entries(ctx, *kernels, "the kernels (names to definitions)");
  if (!entries.valid()) return result;
  for (const auto& name : entries.keys()) {
    const auto value = entries.get(name);
    const Value entry =
        value.value_or(Value{YAML::Node(), kernels->path + "." + name, entries.key_mark(name)});
    if (auto def = read_entry(ctx, name, entries.key_mark(name), entry))
      result.push_back(std::move(*def));
  }
  entries.finish();
  return result;
}

std::vector<KernelDefinition> parse_kernel_file(std::string_view text, const std::string& origin) {
  if (text.size() > kMaxKernelFileBytes) {
    throw ConfigError(origin + ": file is " + std::to_string(text.size()) +
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
    const YAML::Mark& mark = error.mark();
    const Mark where =
        mark.line < 0 ? Mark{origin, 0, 0} : Mark{origin, mark.line + 1, mark.column + 1};
    throw PipelineError(where, (error.syntax() ? "invalid YAML: " : "") + error.message());
  }
  if (!root) {
    throw ConfigError(origin + ": the file is empty; expected a map with a 'kernels' key");
  }
  Context ctx(origin, {}, "the kernel file");
  std::vector<KernelDefinition> result;
  try {
    result = read_kernel_document(ctx, *root);
  } catch (const YAML::Exception& error) {
    ctx.error(Mark{origin, error.mark.line + 1, error.mark.column + 1}, error.msg);
  }
  ctx.throw_if_failed();
  return result;
}

}  // namespace conveyor::config::detail
