// `conveyor`: the command-line tool. Everything lives in the conveyor_app
// library so tests can link it; see src/app/command.hpp for adding commands.
#include "command.hpp"
#include "conveyor/pipeline/process_setup.hpp"

int main(int argc, char** argv) {
  // Before anything opens a file: descriptors 0-2 valid, SIGPIPE ignored.
  conveyor::pipeline::prepare_process();
  return conveyor::app::run_cli(argc, argv);
}
