// Reading a kernel library file (schema at the top of configs/kernels.yaml).
// Internal to the config layer: KernelLibrary is the public face.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "conveyor/config/kernel_library.hpp"

namespace conveyor::config::detail {

inline constexpr std::size_t kMaxKernelFileBytes = std::size_t{1} << 20;  // 1 MiB

// Every definition of the file, in file order. The text goes through the
// guarded YAML reader (yaml_guard.hpp): size, bytes, nesting, aliases, one
// document, time. Checks the shape of each entry
// (keys, matrix, anchor, family name); generating family kernels and resolving
// aliases is left to the library, which knows the other files.
// Throws config::ConfigError "origin:line:col: ...".
std::vector<KernelDefinition> parse_kernel_file(std::string_view text, const std::string& origin);

}  // namespace conveyor::config::detail
