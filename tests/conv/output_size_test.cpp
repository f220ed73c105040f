// The output-size rule, as a table:
//   valid:  out = floor((in - k) / s) + 1 when in >= k, else 0
//   padded: out = ceil(in / s), whatever the kernel size
#include <gtest/gtest.h>

#include "conveyor/conv/bank.hpp"

namespace conveyor::conv {
namespace {

struct ExtentRow {
  int input, kernel, stride;
  Border border;
  int expected;
};

constexpr ExtentRow kTable[] = {
    // valid: the kernel must fit; each stride step moves the window by s pixels
    {7, 3, 1, Border::Valid, 5},
    {7, 3, 2, Border::Valid, 3},
    {7, 3, 3, Border::Valid, 2},
    {7, 7, 1, Border::Valid, 1},
    {6, 7, 1, Border::Valid, 0},
    {1, 1, 1, Border::Valid, 1},
    {1, 1, 4, Border::Valid, 1},
    {10, 4, 3, Border::Valid, 3},
    {1280, 3, 1, Border::Valid, 1278},
    {1280, 5, 2, Border::Valid, 638},
    {719, 31, 4, Border::Valid, 173},
    // padded borders: one output per stride step over the input, kernel irrelevant
    {7, 3, 1, Border::Zero, 7},
    {7, 3, 2, Border::Replicate, 4},
    {7, 3, 3, Border::Reflect, 3},
    {1, 31, 1, Border::Wrap, 1},
    {1, 1, 4, Border::Zero, 1},
    {10, 4, 3, Border::Reflect, 4},
    {1280, 3, 2, Border::Replicate, 640},
    {1279, 5, 2, Border::Wrap, 640},
    {719, 3, 4, Border::Zero, 180},
    {2, 31, 2, Border::Reflect, 1},
    // degenerate: nothing to produce
    {0, 1, 1, Border::Zero, 0},
    {0, 1, 1, Border::Valid, 0},
    {5, 3, 0, Border::Zero, 0},
    {5, 3, 0, Border::Valid, 0},
    {-3, 3, 1, Border::Reflect, 0},
};

TEST(OutputExtent, FollowsTheRuleTable) {
  for (const ExtentRow& row : kTable) {
    EXPECT_EQ(output_extent(row.input, row.kernel, row.stride, row.border), row.expected)
        << "input " << row.input << ", kernel " << row.kernel << ", stride " << row.stride
        << ", border " << to_string(row.border);
  }
}

TEST(OutputSize, UsesKernelWidthAndStrideXForWidthAndTheOthersForHeight) {
  Filter f;
  f.kernel.width = 5;
  f.kernel.height = 3;
  f.kernel.weights.assign(15, 1.0f);
  f.stride_x = 2;
  f.stride_y = 3;
  f.border = Border::Valid;
  MapSize size = output_size(f, 11, 10);
  EXPECT_EQ(size.width, 4);   // floor((11 - 5) / 2) + 1
  EXPECT_EQ(size.height, 3);  // floor((10 - 3) / 3) + 1
  f.border = Border::Reflect;
  size = output_size(f, 11, 10);
  EXPECT_EQ(size.width, 6);   // ceil(11 / 2)
  EXPECT_EQ(size.height, 4);  // ceil(10 / 3)
}

// The plan reports the same sizes and produces maps of exactly those sizes.
TEST(OutputSize, PlanAndMapsAgreeWithTheRule) {
  const std::vector<float> pixels(23 * 17, 1.0f);
  const ImageView input = make_view(pixels.data(), 23, 17);
  std::vector<Filter> bank;
  for (Border border : {Border::Valid, Border::Zero, Border::Wrap}) {
    for (int stride : {1, 2, 3, 4}) {
      Filter f;
      f.name = to_string(border) + std::to_string(stride);
      f.kernel = make_kernel({{1, 2, 3, 4}, {5, 6, 7, 8}}, "k");
      f.kernel.anchor_x = 1;
      f.kernel.anchor_y = 0;
      f.border = border;
      f.stride_x = stride;
      f.stride_y = 5 - stride;
      bank.push_back(f);
    }
  }
  const BankPlan plan(bank, {23, 17, 1, PixelType::F32});
  std::vector<FeatureMap> maps;
  plan.run(input, maps);
  const PlanInfo info = plan.info();
  for (std::size_t i = 0; i < bank.size(); ++i) {
    const MapSize size = output_size(bank[i], 23, 17);
    SCOPED_TRACE(bank[i].name);
    EXPECT_EQ(info.filters[i].out_width, size.width);
    EXPECT_EQ(info.filters[i].out_height, size.height);
    EXPECT_EQ(maps[i].width, size.width);
    EXPECT_EQ(maps[i].height, size.height);
    EXPECT_EQ(maps[i].data.size(), static_cast<std::size_t>(size.width) * size.height);
  }
}

}  // namespace
}  // namespace conveyor::conv
