#pragma once
namespace conveyor::testing {
const char* conveyor_binary();  // the built `conveyor` executable
const char* source_dir();       // the repository root (pipelines/, configs/)
}  // namespace conveyor::testing
