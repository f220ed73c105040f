#include "conveyor/config/kernel_library.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>
#include <system_error>

#include "conveyor/config/errors.hpp"
#include "conveyor/conv/errors.hpp"
#include "conveyor/conv/kernel_factory.hpp"
#include "conveyor/util/guarded_file.hpp"
#include "conveyor/util/suggest.hpp"
#include "kernel_file.hpp"

namespace conveyor::config {
namespace {

// The engine's generators throw conv::ConfigError; the library rethrows
// every problem as its own config::ConfigError with the kernel's label.

// Built-in defaults per family; a definition's params and a reference's
// params override them in that order.
const std::map<std::string, KernelParams>& family_defaults() {
  static const std::map<std::string, KernelParams> defaults{
      {"box", {{{"size", 3}}}},
      {"gaussian", {{{"size", 3}, {"sigma", 0}}}},
      {"sobel", {{{"dx", 1}, {"dy", 0}, {"size", 3}}}},
      {"motion_blur", {{{"size", 9}}}},
  };
  return defaults;
}

int integer_param(const KernelParams& params, const std::string& key, const std::string& label) {
  const double value = params.values.at(key);
  if (!std::isfinite(value) || value != std::floor(value) || std::fabs(value) > 1e6) {
    std::ostringstream message;
    message << label << " parameter " << key << "=" << value
            << " is not valid; expected an integer";
    throw ConfigError(message.str());
  }
  return static_cast<int>(value);
}

conv::Kernel generate(const std::string& family, const KernelParams& params,
                      const std::string& label) {
  try {
    if (family == "box") return conv::box_kernel(integer_param(params, "size", label));
    if (family == "gaussian") {
      return conv::gaussian_kernel(integer_param(params, "size", label), params.values.at("sigma"));
    }
    if (family == "sobel") {
      return conv::sobel_kernel(integer_param(params, "dx", label),
                                integer_param(params, "dy", label),
                                integer_param(params, "size", label));
    }
    if (family == "motion_blur")
      return conv::motion_blur_kernel(integer_param(params, "size", label));
  } catch (const conv::ConfigError& error) {
    const std::string message = error.what();
    throw ConfigError(message.rfind(label, 0) == 0 ? message : label + ": " + message);
  }
  throw ConfigError(label + " has unknown family '" + family + "'");
}

std::string read_file(const std::filesystem::path& path) {
  try {
    return util::read_regular_file(path, detail::kMaxKernelFileBytes, "a YAML kernel library");
  } catch (const util::FileReadError& e) {
    if (e.kind() == util::FileReadError::Kind::Missing) {
      throw ConfigError(path.string() +
                        ": kernel file does not exist; expected a YAML kernel library");
    }
    throw ConfigError(e.what());
  }
}

}  // namespace

KernelReference parse_kernel_reference(const std::string& text) {
  KernelReference reference;
  const std::size_t colon = text.find(':');
  reference.name = text.substr(0, colon);
  if (colon == std::string::npos) return reference;
  std::string_view rest = std::string_view(text).substr(colon + 1);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const std::size_t equals = item.find('=');
    const std::string key(item.substr(0, equals));
    const std::string value(equals == std::string_view::npos ? std::string_view{}
                                                             : item.substr(equals + 1));
    double number = 0;
    const auto result = std::from_chars(value.data(), value.data() + value.size(), number);
    if (key.empty() || value.empty() || result.ec != std::errc{} ||
        result.ptr != value.data() + value.size() || !std::isfinite(number)) {
      throw ConfigError("kernel reference '" + text + "' has parameter '" + std::string(item) +
                        "'; expected key=number pairs such as gaussian:size=5,sigma=1.2");
    }
    reference.params.values[key] = number;
  }
  return reference;
}

const std::vector<std::string>& KernelLibrary::family_names() {
  static const std::vector<std::string> names{"box", "gaussian", "sobel", "motion_blur"};
  return names;
}

const std::vector<std::string>& KernelLibrary::family_parameters(const std::string& family) {
  static const std::map<std::string, std::vector<std::string>> parameters{
      {"box", {"size"}},
      {"gaussian", {"size", "sigma"}},
      {"sobel", {"dx", "dy", "size"}},
      {"motion_blur", {"size"}},
  };
  static const std::vector<std::string> none;
  const auto it = parameters.find(family);
  return it == parameters.end() ? none : it->second;
}

std::filesystem::path KernelLibrary::default_path() {
  if (const char* env = std::getenv("CONVEYOR_KERNELS"); env != nullptr && *env != '\0') {
    return env;
  }
  std::vector<std::filesystem::path> candidates{
      std::filesystem::path(CONVEYOR_SOURCE_DIR) / "configs" / "kernels.yaml",
      std::filesystem::path(CONVEYOR_DATA_DIR) / "configs" / "kernels.yaml"};
  // A relocated install: <prefix>/bin/conveyor next to <prefix>/share/conveyor.
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back(exe.parent_path().parent_path() / "share" / "conveyor" / "configs" /
                         "kernels.yaml");
  }
  std::string tried;
  for (const auto& candidate : candidates) {
    if (std::filesystem::is_regular_file(candidate, error)) return candidate;
    tried += (tried.empty() ? "" : ", ") + candidate.string();
  }
  throw ConfigError("no kernel library found (looked in " + tried +
                    "); expected configs/kernels.yaml there or CONVEYOR_KERNELS set to a file");
}

KernelLibrary KernelLibrary::load_default() {
  KernelLibrary library;
  library.load_file(default_path());
  return library;
}

void KernelLibrary::load_file(const std::filesystem::path& path) {
  load_string(read_file(path), path.string());
  files_.push_back(path);
}

void KernelLibrary::load_string(std::string_view yaml, const std::string& origin) {
  std::map<std::string, KernelDefinition> updated = entries_;
  for (auto& definition : detail::parse_kernel_file(yaml, origin)) {
    std::string name = definition.name;
    updated[name] = std::move(definition);
  }
  check_entries(updated);
  entries_ = std::move(updated);
}

// Every alias leads to a kernel, and every family's defaults generate one:
// mistakes surface at load time with the line that made them.
void KernelLibrary::check_entries(const std::map<std::string, KernelDefinition>& entries) const {
  for (const auto& [name, definition] : entries) {
    const KernelDefinition* current = &definition;
    std::set<std::string> seen{name};
    while (!current->alias.empty()) {
      const auto target = entries.find(current->alias);
      if (target == entries.end()) {
        std::vector<std::string> names;
        for (const auto& entry : entries) names.push_back(entry.first);
        throw ConfigError(current->source + ": kernel '" + current->name + "' is an alias of '" +
                          current->alias + "', which is not defined" +
                          util::did_you_mean(current->alias, names) +
                          "; expected the name of a kernel");
      }
      if (!seen.insert(target->first).second) {
        throw ConfigError(current->source + ": kernel '" + current->name + "' is an alias of '" +
                          current->alias + "', which leads back to '" + target->first +
                          "'; expected aliases to end at a kernel");
      }
      current = &target->second;
    }
    if (!definition.family.empty()) {
      KernelParams params = family_defaults().at(definition.family);
      for (const auto& [key, value] : definition.defaults.values) params.values[key] = value;
      try {
        generate(definition.family, params, "kernel '" + name + "'");
      } catch (const ConfigError& error) {
        throw ConfigError(definition.source + ": " + error.what());
      }
    }
  }
}

bool KernelLibrary::contains(const std::string& name) const {
  return entries_.count(name) != 0;
}

const KernelDefinition& KernelLibrary::find(const std::string& name) const {
  const auto it = entries_.find(name);
  if (it == entries_.end()) {
    throw ConfigError("unknown kernel '" + name + "'" + util::did_you_mean(name, names()) +
                      "; expected a library name (see `conveyor kernels`)");
  }
  return it->second;
}

const KernelDefinition& KernelLibrary::definition(const std::string& name) const {
  return find(name);
}

conv::Kernel KernelLibrary::get(const std::string& name, const KernelParams& params) const {
  const KernelDefinition* definition = &find(name);
  for (int hops = 0; !definition->alias.empty() && hops < 64; ++hops) {
    definition = &find(definition->alias);
  }
  const std::string label = "kernel '" + name + "'";
  conv::Kernel kernel;
  if (definition->is_fixed()) {
    if (!params.values.empty()) {
      throw ConfigError(label + " is a fixed matrix and takes no parameters (got '" +
                        params.values.begin()->first +
                        "'); expected a family such as gaussian, box, sobel_x or motion_blur");
    }
    kernel = definition->kernel;
  } else {
    const auto& allowed = family_parameters(definition->family);
    KernelParams merged = family_defaults().at(definition->family);
    for (const auto& [key, value] : definition->defaults.values) merged.values[key] = value;
    for (const auto& [key, value] : params.values) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string expected;
        for (const auto& parameter : allowed)
          expected += (expected.empty() ? "" : ", ") + parameter;
        throw ConfigError(label + " has no parameter '" + key + "'" +
                          util::did_you_mean(key, allowed) + "; expected " + expected);
      }
      merged.values[key] = value;
    }
    kernel = generate(definition->family, merged, label);
  }
  kernel.name = name;
  return kernel;
}

conv::Kernel KernelLibrary::get(const KernelReference& reference) const {
  return get(reference.name, reference.params);
}

std::vector<std::string> KernelLibrary::names() const {
  std::vector<std::string> result;
  result.reserve(entries_.size());
  for (const auto& entry : entries_) result.push_back(entry.first);
  return result;
}

std::string KernelLibrary::description(const std::string& name) const {
  const auto it = entries_.find(name);
  return it == entries_.end() ? std::string{} : it->second.description;
}

}  // namespace conveyor::config
