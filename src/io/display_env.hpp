// Is there a screen to open a window on? Asked before any HighGUI call: with
// no display, Qt aborts the process (SIGABRT, not an exception).
#pragma once

#include <string>

namespace conveyor::io {

// Empty when a window can be opened: DISPLAY names a reachable X server (a
// local one is probed through its socket; a remote one is trusted),
// WAYLAND_DISPLAY is set, or QT_QPA_PLATFORM is offscreen/minimal. Otherwise
// the reason, e.g. "no display (DISPLAY is not set)".
std::string display_unavailable_reason();

}  // namespace conveyor::io
