// Turning `conveyor apply` options into the engine's filter bank.
#pragma once

#include <string>
#include <vector>

#include "conveyor/conv/kernel.hpp"

namespace conveyor::app {

struct ApplyOptions {
  std::vector<std::string> kernels;       // names, inline matrices or text-matrix files
  std::vector<std::string> kernel_files;  // extra YAML libraries (--kernels-file)
  std::string stride = "1";               // "S" or "SX,SY"
  std::string border = "reflect";
  std::string anchor;  // "X,Y", empty: each kernel's own
  bool flip = false;
  std::string combine;  // empty: no combination
  std::string weights;  // "w1,w2,..." for weighted_sum
  int threads = 0;
  bool print = false;
  std::string to_u8 = "minmax";
  std::string input;
  std::string output;
};

// One filter per --kernel, named for its map (library name, file stem or
// kernelN for inline matrices; made unique). Throws util::ExitError with code
// 2 naming the offending value and what was expected.
std::vector<conv::Filter> build_filters(const ApplyOptions& options);

// Parses "N" or "A,B" into two integers; throws ExitError(2) mentioning `option`.
std::pair<int, int> parse_int_pair(const std::string& text, const std::string& option,
                                   const std::string& expected);

}  // namespace conveyor::app
