// Exit codes shared by every `conveyor` command, and the error that carries one
// from deep inside a command to main(). Scripts rely on these numbers: never
// renumber them.
#pragma once

#include <stdexcept>
#include <string>

namespace conveyor::util {

enum class ExitCode : int {
  Ok = 0,
  Failure = 1,        // an unexpected internal error (a bug): please report it
  Usage = 2,          // bad command line or configuration (kernel, stride, YAML ...)
  Input = 3,          // the input cannot be opened or read
  Output = 4,         // an output cannot be written
  DroppedFrames = 5,  // a pipeline dropped more frames than allowed
  Hangup = 129,       // SIGHUP (the terminal closed), after a clean shutdown
  Interrupted = 130,  // SIGINT (Ctrl-C), after a clean shutdown
  Terminated = 143,   // SIGTERM, after a clean shutdown
};

constexpr int exit_status(ExitCode code) {
  return static_cast<int>(code);
}

// The table printed at the end of `conveyor --help`.
inline const char* exit_codes_help() {
  return "Exit codes:\n"
         "  0    success\n"
         "  2    usage or configuration error (bad option, kernel, stride, border ...)\n"
         "  3    the input cannot be opened or read (missing, empty, a directory, not an image)\n"
         "  4    an output cannot be written (no permission, full disk, unknown extension,\n"
         "       stdout closed or full, the display went away)\n"
         "  5    too many dropped frames (pipelines)\n"
         "  129  stopped by SIGHUP;  130  interrupted by SIGINT;  143  terminated by SIGTERM\n"
         "       (outputs finalized; a second signal aborts and removes partial outputs)\n"
         "  1    internal error (a bug; please report it)\n";
}

// Ends a command with `code`; what() names the offending value and what was
// expected. main() prints it as "conveyor: error: <what>".
class ExitError : public std::runtime_error {
 public:
  ExitError(ExitCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace conveyor::util
