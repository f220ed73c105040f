// Errors in what the user configured: a pipeline file, a --set override, a
// kernel library or a kernel reference. The command-line tool maps them to
// exit code 2, as it maps the engine's conv::ConfigError (a filter the engine
// cannot run); the config layer throws its own type and wraps the engine's
// messages where it calls the engine.
#pragma once

#include <stdexcept>
#include <string>

namespace conveyor::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace conveyor::config
