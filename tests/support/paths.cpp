// Kept so the support library always has a translation unit.
namespace conveyor::testing {
const char* conveyor_binary() { return CONVEYOR_BINARY; }
const char* source_dir() { return CONVEYOR_SOURCE_DIR; }
}  // namespace conveyor::testing
