// Configuration errors: the engine refuses bad filters, banks and frames with
// a ConfigError whose message names the culprit and the values involved.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "conveyor/conv/bank.hpp"
#include "conveyor/conv/errors.hpp"

namespace conveyor::conv {
namespace {

Filter box_filter(int width, int height, Border border = Border::Reflect) {
  Filter f;
  // Move-assigned strings: GCC 12 warns falsely (-Wrestrict) on assigning literals here.
  f.name = std::string("probe");
  f.kernel.name = std::string("k");
  f.kernel.width = width;
  f.kernel.height = height;
  f.kernel.weights.assign(static_cast<std::size_t>(width) * height, 1.0f);
  f.border = border;
  return f;
}

// The ConfigError message of planning `filter` on a 40x30 gray frame ("" if none).
std::string plan_error(const Filter& filter, InputShape shape = {40, 30, 1, PixelType::F32}) {
  try {
    BankPlan plan({filter}, shape);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

void expect_mentions(const std::string& message, const std::vector<std::string>& parts) {
  EXPECT_FALSE(message.empty()) << "expected a ConfigError";
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  }
}

TEST(EngineErrors, StrideZeroOrNegative) {
  Filter f = box_filter(3, 3);
  f.stride_x = 0;
  EXPECT_THROW(validate_filter(f), ConfigError);
  expect_mentions(plan_error(f), {"probe", "stride"});
  f.stride_x = 1;
  f.stride_y = -2;
  expect_mentions(plan_error(f), {"probe", "-2"});
}

TEST(EngineErrors, EmptyOrRaggedKernel) {
  EXPECT_THROW(make_kernel({}, "none"), ConfigError);
  EXPECT_THROW(make_kernel({{}}, "none"), ConfigError);
  EXPECT_THROW(make_kernel({{1, 2}, {3}}, "ragged"), ConfigError);
  Filter f = box_filter(3, 3);
  f.kernel = Kernel{};
  expect_mentions(plan_error(f), {"probe", "empty"});
  f = box_filter(3, 3);
  f.kernel.weights.pop_back();  // 8 weights for a 3x3 matrix
  expect_mentions(plan_error(f), {"probe", "8"});
}

TEST(EngineErrors, KernelLargerThan31) {
  EXPECT_EQ(plan_error(box_filter(31, 31), {64, 64, 1, PixelType::F32}), "");
  expect_mentions(plan_error(box_filter(32, 32), {64, 64, 1, PixelType::F32}),
                  {"probe", "32x32", "31"});
  expect_mentions(plan_error(box_filter(1, 33), {64, 64, 1, PixelType::F32}), {"1x33"});
}

TEST(EngineErrors, NonFiniteWeight) {
  Filter f = box_filter(3, 3);
  f.kernel.weights[5] = std::numeric_limits<float>::quiet_NaN();
  expect_mentions(plan_error(f), {"probe", "row 2", "column 3"});
  f.kernel.weights[5] = std::numeric_limits<float>::infinity();
  EXPECT_THROW(validate_filter(f), ConfigError);
}

TEST(EngineErrors, EvenKernelNeedsAnAnchorUnlessValid) {
  Filter f = box_filter(4, 3);
  expect_mentions(plan_error(f), {"probe", "4x3", "anchor"});
  f.kernel.anchor_x = 2;
  EXPECT_EQ(plan_error(f), "");
  f = box_filter(3, 2);
  f.kernel.anchor_x = 1;  // the even dimension is the height
  EXPECT_FALSE(plan_error(f).empty());
  f.border = Border::Valid;  // valid places the kernel's top-left cell: no anchor needed
  EXPECT_EQ(plan_error(f), "");
}

TEST(EngineErrors, AnchorOutsideTheKernel) {
  Filter f = box_filter(3, 3);
  f.kernel.anchor_x = 3;
  expect_mentions(plan_error(f), {"probe", "anchor"});
  f.kernel.anchor_x = -1;
  EXPECT_FALSE(plan_error(f).empty());
}

TEST(EngineErrors, ValidBorderLargerThanTheInput) {
  const Filter f = box_filter(7, 5, Border::Valid);
  const std::string message = plan_error(f, {6, 30, 1, PixelType::U8});
  expect_mentions(message, {"probe", "7x5", "6x30", "valid"});
  EXPECT_FALSE(plan_error(f, {40, 4, 1, PixelType::U8}).empty());
  EXPECT_EQ(plan_error(f, {7, 5, 1, PixelType::U8}), "");  // exactly fits: a 1x1 map
  // Padded borders accept any input, even smaller than the kernel.
  EXPECT_EQ(plan_error(box_filter(7, 5, Border::Wrap), {1, 1, 1, PixelType::U8}), "");
}

TEST(EngineErrors, BadBankOrShape) {
  EXPECT_THROW(BankPlan({}, {40, 30, 1, PixelType::F32}), ConfigError);
  expect_mentions(plan_error(box_filter(3, 3), {0, 30, 1, PixelType::F32}), {"0x30"});
  expect_mentions(plan_error(box_filter(3, 3), {40, 30, 2, PixelType::F32}), {"2 channels"});
  EXPECT_THROW(BankPlan({box_filter(3, 3)}, {40, 30, 1, PixelType::F32}, {-1, 0, 0}), ConfigError);
  EXPECT_THROW(BankPlan({box_filter(3, 3)}, {40, 30, 1, PixelType::F32}, {0, -4, 0}), ConfigError);
}

TEST(EngineErrors, FrameThatDoesNotMatchThePlan) {
  const BankPlan plan({box_filter(3, 3)}, {40, 30, 1, PixelType::F32});
  const std::vector<float> floats(41 * 31 * 3, 0.0f);
  const std::vector<std::uint8_t> bytes(40 * 30, 0);
  std::vector<FeatureMap> maps;
  FeatureMap combined;
  const ImageView wider = make_view(floats.data(), 41, 30);
  try {
    plan.run(wider, maps);
    ADD_FAILURE() << "a 41x30 frame was accepted by a plan for 40x30";
  } catch (const ConfigError& e) {
    expect_mentions(e.what(), {"41x30", "40x30"});
  }
  EXPECT_THROW(plan.run(make_view(floats.data(), 40, 31), maps), ConfigError);
  EXPECT_THROW(plan.run(make_view(floats.data(), 40, 30, 3), maps), ConfigError);
  EXPECT_THROW(plan.run(make_view(bytes.data(), 40, 30), maps), ConfigError);
  ImageView missing = make_view(floats.data(), 40, 30);
  missing.data = nullptr;
  EXPECT_THROW(plan.run(missing, maps), ConfigError);
  EXPECT_THROW(plan.run_combined(wider, {}, combined), ConfigError);
  EXPECT_NO_THROW(plan.run(make_view(floats.data(), 40, 30), maps));
}

TEST(Names, BordersAndCombinesRoundTrip) {
  for (const std::string& name : border_names()) {
    const auto border = parse_border(name);
    ASSERT_TRUE(border.has_value()) << name;
    EXPECT_EQ(to_string(*border), name);
  }
  EXPECT_EQ(parse_border("reflect101"), Border::Reflect);
  EXPECT_EQ(parse_border("constant"), Border::Zero);
  EXPECT_FALSE(parse_border("mirror").has_value());
  for (const std::string& name : combine_names()) {
    const auto op = parse_combine(name);
    ASSERT_TRUE(op.has_value()) << name;
    EXPECT_EQ(to_string(*op), name);
  }
  EXPECT_FALSE(parse_combine("mean").has_value());
}

}  // namespace
}  // namespace conveyor::conv
