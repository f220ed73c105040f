// The named kernel library: configs/kernels.yaml plus any files a user or a
// pipeline adds. Names resolve to engine kernels; unknown names get a
// "did you mean" suggestion.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "conveyor/conv/kernel.hpp"

namespace conveyor::config {

// Parameters of a parameterised kernel reference such as
// `gaussian: {size: 5, sigma: 1.2}`, `box: {size: 7}` or `sobel_x: {size: 5}`.
struct KernelParams {
  std::map<std::string, double> values;
};

class KernelLibrary {
 public:
  // The library shipped with Conveyor: $CONVEYOR_KERNELS if set, else
  // configs/kernels.yaml next to the sources or in the installed data folder.
  static KernelLibrary load_default();

  // Adds every kernel of a YAML kernel file; later definitions override earlier
  // ones. Throws conv::ConfigError naming the file, line, value and expectation.
  void load_file(const std::filesystem::path& path);

  bool contains(const std::string& name) const;
  // A plain name ("sobel_x", "box7", "gaussian") or a parameterised family with
  // parameters. Throws conv::ConfigError with the closest name suggested.
  conv::Kernel get(const std::string& name, const KernelParams& params = {}) const;
  std::vector<std::string> names() const;
  // One-line description from the library file, empty if none.
  std::string description(const std::string& name) const;

 private:
  struct Entry {
    conv::Kernel kernel;  // fixed matrix, or empty for a parameterised family
    std::string family;   // "gaussian", "box", "sobel", "motion_blur" ... for generated kernels
    KernelParams defaults;
    std::string description;
    std::string source;  // file:line where it was defined
  };
  std::map<std::string, Entry> entries_;
};

}  // namespace conveyor::config
