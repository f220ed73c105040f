// The `pool` stage in pipelines: each map of a bank pooled under its own name,
// sizes through validate and the sinks, its YAML errors, and a first frame
// too small for its window (the compute itself: pool_maps_test.cpp).
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "../../src/pipeline/run_state.hpp"
#include "../../src/stages/pool_maps.hpp"
#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/config/sink_geometry.hpp"
#include "e2e_support.hpp"

namespace conveyor::testing::e2e {
namespace {

const std::string kSource = "source: {type: testpattern, width: 64, height: 48, frames: 2}\n";
const std::string kBank =
    "  - {name: edges, bank: [sobel_x, sobel_y], post: {normalize: abs_scale}}\n";

config::PipelineSpec load(const std::string& stages, const std::string& sinks) {
  return config::load_pipeline_from_string(kSource + "stages:\n" + stages + "sinks: " + sinks,
                                           "pool.yaml");
}

std::string load_error(const std::string& stages) {
  return load_error_of(kSource + "stages:\n" + stages + "sinks: [{type: null}]\n", "pool.yaml");
}

// Runs the stages of `spec` on one random frame.
std::vector<pipeline::StageOutput> run_stages(const config::PipelineSpec& spec) {
  const auto set = pipeline::make_stage_set(spec);
  cv::Mat frame(48, 64, CV_8UC1);
  cv::randu(frame, 0, 256);
  std::vector<pipeline::StageOutput> outputs;
  pipeline::StageOutput input{frame, {}};
  for (const auto& stage : set->stages) {
    outputs.push_back(stage->process(input));
    input = outputs.back();
  }
  return outputs;
}

TEST(PoolStage, PoolsEveryMapOfABankUnderItsName) {
  const auto spec = load(kBank + "  - {name: pooled, type: pool, op: max, size: 2}\n",
                         "[{type: images, input: pooled.sobel_y, pattern: 'y_%04d.png'},\n"
                         " {type: images, input: pooled, pattern: 'm_%04d.png'}]\n");
  EXPECT_EQ(spec.stages[1].map_names, (std::vector<std::string>{"sobel_x", "sobel_y"}));
  EXPECT_FALSE(spec.stages[1].single_output);
  EXPECT_EQ(spec.sinks[0].map.stage, 1);
  EXPECT_EQ(spec.sinks[0].map.filter, 1);

  const auto outputs = run_stages(spec);
  ASSERT_EQ(outputs[0].maps.size(), 2u);
  ASSERT_EQ(outputs[1].maps.size(), 2u);
  EXPECT_TRUE(outputs[1].output.empty());
  const stages::PoolWindow window{stages::PoolOp::Max, 2, 2, 2, 2, conv::Border::Valid};
  for (std::size_t m = 0; m < 2; ++m) {
    const cv::Mat expected = stages::pool_map(outputs[0].maps[m], window);
    ASSERT_EQ(outputs[1].maps[m].size(), cv::Size(32, 24));
    EXPECT_EQ(outputs[1].maps[m].type(), CV_8UC1);
    EXPECT_EQ(cv::norm(outputs[1].maps[m], expected, cv::NORM_INF), 0.0) << m;
  }
  const auto inputs = config::sink_inputs(spec, 64, 48);
  EXPECT_EQ(inputs[0], (config::MapShape{32, 24, 1, false}));
  EXPECT_EQ(inputs[1], (config::MapShape{64, 24, 3, false}));  // a 2x1 mosaic of 32x24 maps
}

TEST(PoolStage, PoolsTheOutputOfACombinedStage) {
  const auto spec = load(
      "  - {name: edges, bank: [sobel_x, sobel_y], combine: {op: magnitude}}\n"
      "  - {name: pooled, type: pool, op: average, size: [3, 2], stride: [3, 1], border: "
      "zero}\n",
      "[{type: null, input: pooled}]\n");
  EXPECT_TRUE(spec.stages[1].single_output);
  const auto geometry = config::check_geometry(spec, 64, 48);
  ASSERT_TRUE(geometry[1].output.has_value());
  EXPECT_EQ(*geometry[1].output, (config::MapShape{22, 48, 1, true}));  // ceil(64/3), 48
  const auto outputs = run_stages(spec);
  const stages::PoolWindow window{stages::PoolOp::Average, 3, 2, 3, 1, conv::Border::Zero};
  const cv::Mat expected = stages::pool_map(outputs[0].output, window);
  ASSERT_EQ(outputs[1].output.size(), cv::Size(22, 48));
  EXPECT_EQ(cv::norm(outputs[1].output, expected, cv::NORM_INF), 0.0);
}

TEST(PoolStage, YamlErrorsNameTheKeyAndWhatWasExpected) {
  const std::string bank = kBank;
  EXPECT_TRUE(contains(load_error(bank + "  - {type: pool, op: maxx}\n"), "did you mean 'max'?"));
  EXPECT_TRUE(contains(load_error(bank + "  - {type: pool, size: 2}\n"), "op"));
  EXPECT_TRUE(contains(load_error(bank + "  - {type: pool, op: max, size: 32}\n"),
                       "a window side from 1 to 31, or [w, h]"));
  EXPECT_TRUE(
      contains(load_error(bank + "  - {type: pool, op: max, size: [2, 2, 2]}\n"), "3 items"));
  EXPECT_TRUE(
      contains(load_error(bank + "  - {type: pool, op: max, stride: 0}\n"), "a step from 1 to 64"));
  EXPECT_TRUE(contains(load_error(bank + "  - {type: pool, op: max, windw: 2}\n"), "windw"));
  const std::string chained = load_error(bank +
                                         "  - {name: pooled, type: pool, op: max}\n"
                                         "  - {name: again, bank: [box3]}\n");
  EXPECT_TRUE(contains(chained, "pool.yaml:5:")) << chained;
  EXPECT_TRUE(contains(chained, "its input, stage 'pooled', keeps 2 maps (sobel_x, sobel_y)"))
      << chained;
}

TEST(PoolStage, AWindowLargerThanAKnownFrameIsRefusedAtLoad) {
  const std::string error =
      load_error_of("source: {type: testpattern, width: 3, height: 3}\nstages:\n" + kBank +
                        "  - {name: pooled, type: pool, op: max, size: 4}\nsinks: [{type: null}]\n",
                    "pool.yaml");
  EXPECT_TRUE(contains(error, "pool.yaml:4:")) << error;
  EXPECT_TRUE(contains(error, "pool 'pooled' (max 4x4")) << error;
  EXPECT_TRUE(contains(error, "for its 3x3 input")) << error;
}

TEST(PoolStage, AFirstFrameTooSmallForTheWindowEndsTheRunWithExit2) {
  TempDir dir;
  for (int i = 0; i < 3; ++i)
    cv::imwrite((dir / ("f_" + std::to_string(i) + ".png")).string(),
                cv::Mat(3, 5, CV_8UC1, cv::Scalar(i * 40)));
  std::ofstream(dir / "pipeline.yaml")
      << "source: {type: images, pattern: \"f_%d.png\"}\nstages:\n"
      << kBank << "  - {name: pooled, type: pool, op: max, size: 4}\n"
      << "sinks: [{type: images, input: pooled, pattern: \"out/m_%04d.png\"}]\n"
         "metrics: {report: out/report.json}\n";
  const ProcessResult run = conveyor_in(dir, {"run", "pipeline.yaml", "-q"});
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_TRUE(contains(run.err, "too small for stage 'pooled'")) << describe(run);
  EXPECT_TRUE(contains(run.err, "pipeline.yaml:4:")) << describe(run);
  EXPECT_FALSE(fs::exists(dir / "out" / "m_0000.png"));
  const nlohmann::json report = read_json(dir / "out" / "report.json");
  ASSERT_TRUE(report.is_object()) << "no report";
  EXPECT_EQ(report["exit_code"], 2);
}

TEST(PoolStage, ValidatePrintsThePooledSizes) {
  TempDir dir;
  std::ofstream(dir / "pipeline.yaml")
      << kSource << "stages:\n"
      << kBank << "  - {name: pooled, type: pool, op: max, size: 2}\nsinks: [{type: null}]\n";
  const ProcessResult run = conveyor_in(dir, {"validate", "pipeline.yaml"});
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_TRUE(contains(run.out,
                       "stage 2 'pooled': 64x48x1 input, 2 map(s), max 2x2, stride 2,2, "
                       "border valid -> 32x24"))
      << describe(run);
}

std::string watched(const std::string& pool) {
  return "source: {type: testpattern, width: 320, height: 240, fps: 30, frames: 0, pace: "
         "realtime}\nstages:\n"
         "  - {name: edges, bank: [sobel_x, sobel_y], combine: {op: magnitude}, post: "
         "{normalize: abs_scale}}\n"
         "  - {name: pooled, type: pool, " +
         pool +
         "}\n"
         "sinks: [{type: file, path: out/w.mkv, input: pooled}]\nmetrics: {report: out/w.json}\n";
}

// --watch takes an edit of the pool's parameters that keeps the sink's input
// and refuses one that would change its size, as for any stage.
TEST(PoolStage, WatchTakesParameterEditsAndRefusesASinkSizeChange) {
  TempDir dir;
  dir.write("w.yaml", watched("op: max, size: 2"));
  run_watch_edits(dir, "w.yaml", "out/w.json",
                  {{watched("op: max, size: 4"),
                    "sink 'file' would get 80x60, 1 channel, 8-bit instead of 160x120"},
                   {watched("op: average, size: 2"), "reloaded the banks"}});
}

}  // namespace
}  // namespace conveyor::testing::e2e
