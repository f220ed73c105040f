// The list of subcommands: one line per subcommand (see command.hpp).
#include "command.hpp"

namespace conveyor::app {

const std::vector<CommandSetup>& command_setups() {
  static const std::vector<CommandSetup> setups{
      &setup_apply_command,  &setup_kernels_command, &setup_nodes_command,
      &setup_report_command, &setup_run_command,     &setup_validate_command,
  };
  return setups;
}

}  // namespace conveyor::app
