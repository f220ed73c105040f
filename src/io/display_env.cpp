// Display detection without touching Qt: environment variables, and for a
// local X display a connect() to the server's socket.
#include "display_env.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace conveyor::io {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// The display number of a local X display (":0", ":1.0", "unix:2"); nullopt
// for a remote one ("localhost:10.0", "host:0") or an unusual form.
std::optional<int> local_display_number(const std::string& display) {
  const auto colon = display.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  const std::string host = display.substr(0, colon);
  if (!host.empty() && host != "unix") return std::nullopt;
  std::size_t end = colon + 1;
  while (end < display.size() && std::isdigit(static_cast<unsigned char>(display[end]))) ++end;
  if (end == colon + 1 || end - colon > 6) return std::nullopt;
  return std::stoi(display.substr(colon + 1, end - colon - 1));
}

// Connects to a Unix socket; `abstract`: in the abstract namespace (Linux).
bool can_connect(const std::string& path, bool abstract) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::size_t offset = abstract ? 1 : 0;
  if (path.size() + offset >= sizeof(address.sun_path)) return false;
  std::memcpy(address.sun_path + offset, path.data(), path.size());
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset +
                                             path.size() + (abstract ? 0 : 1));
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return true;  // cannot tell: let the window try
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), length) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string display_unavailable_reason() {
  const std::string platform = env("QT_QPA_PLATFORM");
  if (platform == "offscreen" || platform == "minimal") return "";
  const std::string display = env("DISPLAY");
  if (!display.empty()) {
    const auto number = local_display_number(display);
    if (!number) return "";
    const std::string socket = "/tmp/.X11-unix/X" + std::to_string(*number);
    if (can_connect(socket, true) || can_connect(socket, false)) return "";
    return "cannot connect to the X display '" + display + "' (no X server listens at " + socket +
           ")";
  }
  if (!env("WAYLAND_DISPLAY").empty()) return "";
  return "no display (DISPLAY is not set)";
}

}  // namespace conveyor::io
