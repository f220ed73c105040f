// Commands that print data on stdout (kernels, apply --print, validate,
// report) check that it arrived: a full disk, a closed pipe or /dev/full is
// exit 4 naming stdout and the reason, never a silent exit 0.
#pragma once

namespace conveyor::io {

// Flushes std::cout and stdout; throws pipeline::OutputError (exit 4) if any write
// to them failed.
void check_stdout();

}  // namespace conveyor::io
