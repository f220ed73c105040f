#include "conveyor/pipeline/test_hooks.hpp"

namespace conveyor::pipeline::test_hooks {
namespace {
StageHook& stage_hook() {
  static StageHook hook;
  return hook;
}
EncodeHook& encode_hook() {
  static EncodeHook hook;
  return hook;
}
}  // namespace

void set_before_stage(StageHook hook) {
  stage_hook() = std::move(hook);
}
const StageHook& before_stage() {
  return stage_hook();
}

void set_before_encode(EncodeHook hook) {
  encode_hook() = std::move(hook);
}
const EncodeHook& before_encode() {
  return encode_hook();
}

}  // namespace conveyor::pipeline::test_hooks
