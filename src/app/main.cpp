// `conveyor`: the command-line tool. Everything lives in the conveyor_app
// library so tests can link it; see src/app/command.hpp for adding commands.
#include "command.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

// Frames and feature maps are megabytes each and live for about one frame.
// By default glibc maps such blocks fresh and returns them to the kernel on
// free, so every frame paid for page faults and zeroing again: a quarter of
// the CPU time of a video run. Keeping them in the heap lets the next frame
// reuse the pages; the peak stays bounded by the frames in flight.
void keep_frame_buffers_in_heap() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  keep_frame_buffers_in_heap();
  return conveyor::app::run_cli(argc, argv);
}
