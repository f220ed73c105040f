// End to end: every kind of broken pipeline file through `conveyor run`
// exits 2 before any frame, and stderr names file:line and the bad value.
// (The loader's unit tests cover the details; this is the CLI contract.)
#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

const std::string kHead = "name: bad\nsource: { type: testpattern, width: 64, height: 48 }\n";
const std::string kTail = "sinks: [{ type: file, path: out/out.mkv }]\n";

std::string with_stage(const std::string& stage) {
  return kHead + "stages:\n  - " + stage + "\n" + kTail;
}

std::string deep_nesting() {
  std::string text;
  for (int i = 0; i < 40; ++i) text += std::string(static_cast<std::size_t>(2 * i), ' ') + "k:\n";
  return text;
}

struct YamlFault {
  std::string name;
  std::string text;
  std::vector<std::string> fragments;  // all expected in stderr; "bad.yaml:N" gives the line
};

std::vector<YamlFault> faults() {
  return {
      {"Syntax", kHead + "stages: [{ bank: [box]\n" + kTail, {"bad.yaml:4:", "YAML syntax"}},
      {"DuplicateKey",
       kHead + "stages:\n  - { bank: [box] }\n" + kTail + "name: again\n",
       {"bad.yaml:6:", "duplicate key 'name'", "first at line 1"}},
      {"WrongType",
       "name: bad\nsource: { type: testpattern, width: wide, height: 48 }\nstages: [{ bank: "
       "[box] }]\n" +
           kTail,
       {"bad.yaml:2:", "source.width: 'wide' is not an integer"}},
      {"NanWeight",
       with_stage("{ bank: [{ name: w, weights: [[1, .nan, 1]] }] }"),
       {"bad.yaml:4:", "'.nan' is not a finite number"}},
      {"MissingKey",
       kHead + "stages: [{ bank: [box] }]\nsinks: [{ type: file }]\n",
       {"bad.yaml:4:", "sinks.0.path: missing"}},
      {"UnknownKeyWithSuggestion",
       kHead + "stagse: [{ bank: [box] }]\n" + kTail,
       {"bad.yaml:3:", "unknown key 'stagse'", "did you mean 'stages'"}},
      {"UnknownKernelWithSuggestion",
       with_stage("{ bank: [sobel_xx] }"),
       {"bad.yaml:4:", "unknown kernel 'sobel_xx'", "did you mean 'sobel_x'"}},
      {"StrideLeavesEmptyMap",
       // Stride 4 turns 24x24 into 6x6: too small for the next stage's 7x7.
       "name: bad\nsource: { type: testpattern, width: 24, height: 24 }\nstages:\n"
       "  - { bank: [{ kernel: box, stride: 4 }] }\n"
       "  - { bank: [{ kernel: box7, border: valid }] }\n" +
           kTail,
       {"bad.yaml:5:", "filter 'box7'", "empty 0x0 feature map for its 6x6 input"}},
      {"EmptyFile", "", {"bad.yaml: file is empty"}},
      {"BinaryFile", std::string("name: bad\nsour\0ce: x\n", 20), {"bad.yaml:2:", "byte 0x00"}},
      {"DeepNesting", deep_nesting(), {"bad.yaml:33:", "nesting deeper than 32"}},
      {"HugeFile",
       kHead + "# " + std::string(2u << 20, 'x') + "\n",
       {"bad.yaml: file is 2097", "expected at most 1048576 bytes"}},
  };
}

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const YamlFault& value, std::ostream* os) {
  *os << value.name;
}

class e2eYamlFault : public ::testing::TestWithParam<YamlFault> {};

TEST_P(e2eYamlFault, ExitsTwoNamingFileLineAndValue) {
  const YamlFault& fault = GetParam();
  TempDir dir;
  const fs::path pipeline = dir.write("bad.yaml", fault.text);
  const ProcessResult run = conveyor_in(dir, {"run", pipeline.string()});
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  for (const auto& fragment : fault.fragments) {
    EXPECT_TRUE(contains(run.err, fragment)) << "missing '" << fragment << "'\n" << describe(run);
  }
  EXPECT_FALSE(fs::exists(dir / "out")) << "a run started despite the error";
}

INSTANTIATE_TEST_SUITE_P(Faults, e2eYamlFault, ::testing::ValuesIn(faults()),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace conveyor::testing::e2e
