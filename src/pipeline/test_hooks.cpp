#include "conveyor/pipeline/test_hooks.hpp"

namespace conveyor::pipeline::test_hooks {
namespace {
StageHook& stage_hook() {
  static StageHook hook;
  return hook;
}
}  // namespace

void set_before_stage(StageHook hook) {
  stage_hook() = std::move(hook);
}
const StageHook& before_stage() {
  return stage_hook();
}

}  // namespace conveyor::pipeline::test_hooks
