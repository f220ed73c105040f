#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace conveyor::pipeline {

Progress::Progress(std::optional<std::int64_t> total, bool quiet)
    : total_(total && *total > 0 ? total : std::nullopt),
      quiet_(quiet),
      terminal_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

void Progress::update(std::int64_t done) {
  done_ = done;
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::seconds(5);
  if (now - last_draw_ < interval) return;
  if (!terminal_ && now - start_ < interval) return;  // no log line for short runs
  last_draw_ = now;
  draw(done, false);
}

void Progress::finish() {
  if (quiet_ || !drawn_ || !terminal_) return;
  draw(done_, true);
}

void Progress::draw(std::int64_t done, bool final_line) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fps = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  std::string text;
  char buffer[160];
  if (total_) {
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(*total_));
    const double eta = fps > 0 ? static_cast<double>(*total_ - done) / fps : 0.0;
    if (terminal_) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(fraction * kWidth);
      text = "[" + std::string(static_cast<std::size_t>(filled), '=') +
             std::string(static_cast<std::size_t>(kWidth - filled), ' ') + "] ";
    }
    std::snprintf(buffer, sizeof buffer, "%lld/%lld frames  %.1f fps  ETA %.0f s",
                  static_cast<long long>(done), static_cast<long long>(*total_), fps, eta);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld frames  %.1f fps  %.0f s",
                  static_cast<long long>(done), fps, elapsed);
  }
  text += buffer;
  if (terminal_) {
    std::fprintf(stderr, "\r%s\033[K%s", text.c_str(), final_line ? "\n" : "");
  } else {
    std::fprintf(stderr, "conveyor: progress: %s\n", text.c_str());
  }
  drawn_ = true;
}

}  // namespace conveyor::pipeline
