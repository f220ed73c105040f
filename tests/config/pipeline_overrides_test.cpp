// --set overrides: applied before validation, checked like the file, and
// errors say they came from --set.
#include <yaml-cpp/yaml.h>

#include "conveyor/config/node_registry.hpp"
#include "pipeline_test_util.hpp"

namespace conveyor::testing {
namespace {

using namespace conveyor::config;

const std::string kPipeline = R"(source: {type: file, path: in.mp4}
stages:
  - name: edges
    bank:
      - {name: gx, kernel: sobel_x}
      - {name: gy, kernel: sobel_y}
    combine: {op: magnitude}
sinks: [{type: null}]
)";

TEST(PipelineOverrides, SetValuesAnywhere) {
  const PipelineSpec spec =
      load(kPipeline, {"source.path=clip.mp4", "runtime.threads=2", "stages.0.stride=[2,1]",
                       "stages.0.bank.1.border=zero", "stages[0].name=e2",
                       "sinks.1={type: display, input: gx}", "name=over"});
  EXPECT_EQ(spec.source.params->describe(), "clip.mp4");
  EXPECT_EQ(spec.runtime.threads, 2);
  EXPECT_EQ(spec.stages[0].as<ConvolveParams>().filters[0].stride_x, 2);
  EXPECT_EQ(spec.stages[0].as<ConvolveParams>().filters[1].stride_y, 1);
  EXPECT_EQ(spec.stages[0].as<ConvolveParams>().filters[1].border, conv::Border::Zero);
  EXPECT_EQ(spec.stages[0].name, "e2");
  ASSERT_EQ(spec.sinks.size(), 2u);
  EXPECT_EQ(spec.sinks[1].map.filter, 0);
  EXPECT_EQ(spec.name, "over");
  // The last override of a key wins; an empty value clears an optional one.
  EXPECT_EQ(load(kPipeline, {"runtime.threads=2", "runtime.threads=3"}).runtime.threads, 3);
  EXPECT_FALSE(
      load(kPipeline, {"stages.0.combine="}).stages[0].as<ConvolveParams>().combine.has_value());
}

TEST(PipelineOverrides, ErrorsSayTheyCameFromSet) {
  const std::string unknown = load_error(kPipeline, {"runtime.thread=2"});
  EXPECT_NE(unknown.find("test.yaml (--set runtime.thread=2): runtime.thread: unknown key "
                         "'thread'"),
            std::string::npos)
      << unknown;
  EXPECT_NE(unknown.find("did you mean 'threads'?"), std::string::npos) << unknown;
  const std::string bad = load_error(kPipeline, {"stages.0.bank.1.stride=abc"});
  EXPECT_NE(bad.find("(--set stages.0.bank.1.stride=abc): stages.0.bank.1.stride: 'abc' is "
                     "not an integer"),
            std::string::npos)
      << bad;
  EXPECT_NE(load_error(kPipeline, {"source.path.x=1"}).find("'in.mp4' is a value"),
            std::string::npos);
  EXPECT_NE(load_error(kPipeline, {"stages.3.name=x"}).find("not an index of a list of 1 items"),
            std::string::npos);
  EXPECT_NE(load_error(kPipeline, {"threads"}).find("is not an override; expected key.path=value"),
            std::string::npos);
  EXPECT_NE(load_error(kPipeline, {"a..b=1"}).find("is not an override"), std::string::npos);
  EXPECT_NE(load_error(kPipeline, {"source.path=[a"}).find("is not valid YAML"), std::string::npos);
  EXPECT_NE(load_error(kPipeline, {"source.path=" + std::string(40, '[')}).find("nesting deeper"),
            std::string::npos);
}

TEST(PipelineOverrides, FileErrorsKeepTheirLines) {
  // An override elsewhere does not move the blame for a file error.
  const std::string message =
      load_error(kPipeline + "runtime: {mode: fast}\n", {"runtime.threads=2"});
  EXPECT_ERROR_AT(message, 9, "runtime.mode", "unknown runtime mode 'fast'");
}

TEST(PipelineOverrides, ApplyOverridesDoesNotWriteThroughAliases) {
  YAML::Node root = YAML::Load("a: &x {v: 1}\nb: *x\n");
  apply_overrides(root, {"a=5"});
  const YAML::Node& view = root;
  EXPECT_EQ(view["a"].as<int>(), 5);
  EXPECT_EQ(view["b"]["v"].as<int>(), 1);
}

}  // namespace
}  // namespace conveyor::testing
