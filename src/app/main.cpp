// `conveyor`: the command-line tool. Everything lives in the conveyor_app
// library so tests can link it; see src/app/command.hpp for adding commands.
#include "command.hpp"

int main(int argc, char** argv) {
  return conveyor::app::run_cli(argc, argv);
}
