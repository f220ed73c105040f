// The named kernel library: configs/kernels.yaml plus any files a user or a
// pipeline adds. Names resolve to engine kernels; unknown names get a
// "did you mean" suggestion. The file format is documented at the top of
// configs/kernels.yaml.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "conveyor/config/errors.hpp"
#include "conveyor/conv/kernel.hpp"

namespace conveyor::config {

// Parameters of a parameterised kernel reference such as
// `gaussian: {size: 5, sigma: 1.2}`, `box: {size: 7}` or `sobel_x: {size: 5}`.
struct KernelParams {
  std::map<std::string, double> values;
};

// One kernel as a library file defines it: exactly one of a fixed matrix, a
// generated family with default parameters, or an alias of another name.
struct KernelDefinition {
  std::string name;
  std::string description;
  std::string source;     // "file:line" where it was defined
  conv::Kernel kernel;    // fixed matrix; empty for a family or an alias
  std::string family;     // "box", "gaussian", "sobel", "motion_blur"
  KernelParams defaults;  // family parameters
  std::string alias;      // the name this one stands for

  bool is_fixed() const { return family.empty() && alias.empty(); }
};

// A command-line reference: "name" or "name:key=value,key=value".
struct KernelReference {
  std::string name;
  KernelParams params;
};
// Throws config::ConfigError for a malformed parameter list.
KernelReference parse_kernel_reference(const std::string& text);

class KernelLibrary {
 public:
  // The library shipped with Conveyor: $CONVEYOR_KERNELS if set, else
  // configs/kernels.yaml next to the sources or in the installed data folder.
  static KernelLibrary load_default();
  // The file load_default() reads; throws config::ConfigError naming the places
  // it looked when there is none.
  static std::filesystem::path default_path();

  // Adds every kernel of a YAML kernel file; later definitions override earlier
  // ones. Throws config::ConfigError naming the file, line, value and expectation.
  // On error the library is left unchanged.
  void load_file(const std::filesystem::path& path);
  // The same from text; `origin` names it in messages.
  void load_string(std::string_view yaml, const std::string& origin);
  // Every file load_file() read, in order (so no output may overwrite one).
  const std::vector<std::filesystem::path>& files() const { return files_; }

  bool contains(const std::string& name) const;
  // A plain name ("sobel_x", "box7", "gaussian") or a parameterised family with
  // parameters. Throws config::ConfigError with the closest name suggested.
  conv::Kernel get(const std::string& name, const KernelParams& params = {}) const;
  // get() for a parsed "name:key=value" reference.
  conv::Kernel get(const KernelReference& reference) const;
  std::vector<std::string> names() const;
  // One-line description from the library file, empty if none.
  std::string description(const std::string& name) const;
  // The definition as written; throws config::ConfigError for an unknown name.
  const KernelDefinition& definition(const std::string& name) const;

  // The generated families and the parameters each accepts.
  static const std::vector<std::string>& family_names();
  static const std::vector<std::string>& family_parameters(const std::string& family);

 private:
  const KernelDefinition& find(const std::string& name) const;
  void check_entries(const std::map<std::string, KernelDefinition>& entries) const;

  std::map<std::string, KernelDefinition> entries_;
  std::vector<std::filesystem::path> files_;
};

}  // namespace conveyor::config
