// Errors the engine reports. A ConfigError is the caller's fault (a bad kernel,
// stride or combination) and maps to exit code 2 in the command-line tool.
#pragma once

#include <stdexcept>
#include <string>

namespace conveyor::conv {

class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace conveyor::conv
