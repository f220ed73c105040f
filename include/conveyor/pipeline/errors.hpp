// Errors of a run, each mapped to the documented exit code by the CLI.
#pragma once

#include <stdexcept>
#include <string>

namespace conveyor::pipeline {

// An input cannot be opened or read (exit 3).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An output cannot be written or finalized (exit 4).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace conveyor::pipeline
