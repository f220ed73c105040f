// Seams for fault-injection tests: a hook run before every stage of every
// frame (throw from it to simulate a kernel failing on one frame). Unset in
// production; setting it is not thread-safe with a run in progress.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace conveyor::pipeline::test_hooks {

using StageHook = std::function<void(const std::string& stage, std::int64_t sequence)>;
void set_before_stage(StageHook hook);
const StageHook& before_stage();

// Run before the video encoder takes each frame (`frame`: 0, 1, ... per file):
// throw from it to simulate the encoder failing (out of memory, an I/O error).
using EncodeHook = std::function<void(const std::string& path, std::int64_t frame)>;
void set_before_encode(EncodeHook hook);
const EncodeHook& before_encode();

}  // namespace conveyor::pipeline::test_hooks
