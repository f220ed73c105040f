// Every error of every command is printed once, each line after exactly one
// "conveyor: error: " prefix, never "conveyor: error: file:line: error: ...":
// validate and run (one line per problem of a pipeline), apply and kernels
// (kernel files), report (report files), and command-line mistakes (whose
// "Run 'conveyor X --help'" hint follows unprefixed).
#include <sstream>
#include <string>

#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

// Lines of stderr, without the usage hint.
std::vector<std::string> error_lines(const std::string& err) {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Run 'conveyor", 0) != 0) lines.push_back(line);
  }
  return lines;
}

std::size_t count(const std::string& text, const std::string& word) {
  std::size_t n = 0;
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

// exit `code`; `lines` error lines, each with one prefix and no other "error:".
void expect_single_prefix(const ProcessResult& result, int code, std::size_t lines,
                          const std::vector<std::string>& fragments) {
  expect_error(result, code, fragments);
  const auto found = error_lines(result.err);
  EXPECT_EQ(found.size(), lines) << describe(result);
  for (const auto& line : found) {
    EXPECT_EQ(line.rfind("conveyor: error: ", 0), 0u) << line << "\n" << describe(result);
    EXPECT_EQ(count(line, "error:"), 1u) << line << "\n" << describe(result);
  }
}

class ErrorFormatTest : public CliTest {};

TEST_F(ErrorFormatTest, PipelineProblemsOneLineEachWithOnePrefix) {
  write("bad.yaml",
        "name: bad\n"
        "source: { type: testpattern, width: 64, height: 48, bogus: 1 }\n"
        "stages: [{ bank: [sobel_x] }]\n"
        "sinks: [{ type: null }]\n"
        "runtime: { threads: 5000 }\n");
  for (const char* command : {"validate", "run"}) {
    SCOPED_TRACE(command);
    expect_single_prefix(conveyor({command, "bad.yaml"}), 2, 2,
                         {"conveyor: error: bad.yaml:2:", "unknown key 'bogus'",
                          "conveyor: error: bad.yaml:5:", "'5000'"});
  }
  expect_single_prefix(conveyor({"validate", "missing.yaml"}), 2, 1,
                       {"missing.yaml: no such file"});
  write("empty.yaml", "");
  expect_single_prefix(conveyor({"run", "empty.yaml"}), 2, 1, {"empty.yaml: file is empty"});
  expect_single_prefix(conveyor({"validate", "bad.yaml", "--set", "runtime.thread=2"}), 2, 3,
                       {"(--set runtime.thread=2): runtime.thread: unknown key"});
}

TEST_F(ErrorFormatTest, KernelFilesReportsAndOptionsToo) {
  write("in.txt", "1 2 3\n4 5 6\n7 8 9\n");
  write("lib.yaml", "kernels:\n  bad: { weights: [[1, x]] }\n");
  expect_single_prefix(conveyor({"kernels", "--kernels-file", "lib.yaml"}), 2, 1,
                       {"lib.yaml:2:", "'x'"});
  expect_single_prefix(
      conveyor({"apply", "-k", "bad", "--kernels-file", "lib.yaml", "--print", "in.txt"}), 2, 1,
      {"lib.yaml:2:", "'x'"});
  write("k.yaml",
        "include_kernels: [lib.yaml]\n"
        "source: { type: testpattern, width: 64, height: 48 }\n"
        "stages: [{ bank: [sobel_x] }]\nsinks: [{ type: null }]\n");
  expect_single_prefix(conveyor({"validate", "k.yaml"}), 2, 1, {"k.yaml:1:", "lib.yaml:2:"});
  write("r.json", "{");
  expect_single_prefix(conveyor({"report", "r.json"}), 3, 1, {"report 'r.json'"});
  expect_single_prefix(conveyor({"apply", "-k", "sobel_x", "--print", "missing.png"}), 3, 1,
                       {"'missing.png'"});
  expect_single_prefix(conveyor({"run", "k.yaml", "--frames", "-1"}), 2, 1, {"--frames"});
}

}  // namespace
}  // namespace conveyor::testing
