// Errors of a run, each mapped to the documented exit code by the CLI.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>

namespace conveyor::pipeline {

// An input cannot be opened or read (exit 3).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An input whose description can never work, whenever it is tried (a
// GStreamer description with an unknown element or a syntax error): `validate`
// fails on it too (exit 3), where an input that may appear by run time (a
// missing file, an unreachable stream) only leaves the size unknown.
class InvalidInputError : public InputError {
 public:
  using InputError::InputError;
};

// An output cannot be written or finalized (exit 4).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An output's storage failed in a way the next frame will not fix (a full
// disk, an I/O error, a read-only filesystem): the run stops at once, the
// other outputs are finalized, exit 4.
class PersistentOutputError : public OutputError {
 public:
  using OutputError::OutputError;
};

// ENOSPC, EDQUOT, EIO, EROFS, EFBIG: errors that every later write repeats.
inline bool is_persistent_write_error(int error_number) {
  return error_number == ENOSPC || error_number == EDQUOT || error_number == EIO ||
         error_number == EROFS || error_number == EFBIG;
}

}  // namespace conveyor::pipeline
