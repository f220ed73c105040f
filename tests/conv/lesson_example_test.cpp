// The classic lesson: a binary input image, a 3x3 feature detector, the
// feature map it produces with the "valid" border at stride 1 and 2. The
// expected maps were counted by hand (how many of the detector's ones land on
// ones of the picture), not computed with the engine.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "conveyor/conv/bank.hpp"
#include "conveyor/conv/reference.hpp"

namespace conveyor::conv {
namespace {

// A smiley: two eyes, a nose, the corners and the bottom of a smile.
const std::vector<std::uint8_t> kSmiley = {
    0, 0, 0, 0, 0, 0, 0,  //
    0, 1, 0, 0, 0, 1, 0,  //
    0, 0, 0, 0, 0, 0, 0,  //
    0, 0, 0, 1, 0, 0, 0,  //
    0, 1, 0, 0, 0, 1, 0,  //
    0, 0, 1, 1, 1, 0, 0,  //
    0, 0, 0, 0, 0, 0, 0,  //
};

const std::vector<std::vector<float>> kDetector = {
    {0, 0, 1},
    {1, 0, 0},
    {0, 1, 1},
};

// out(y, x) = in(y, x+2) + in(y+1, x) + in(y+2, x+1) + in(y+2, x+2)
const std::vector<float> kStride1 = {
    0, 1, 0, 0, 0,  //
    0, 1, 1, 1, 0,  //
    1, 0, 0, 2, 1,  //
    1, 4, 2, 1, 0,  //
    0, 0, 1, 2, 1,  //
};

// Every other position of the stride-1 map, starting at the top-left corner.
const std::vector<float> kStride2 = {
    0, 0, 0,  //
    1, 0, 1,  //
    0, 1, 1,  //
};

Filter detector(int stride) {
  Filter f;
  f.name = "smile_detector";
  f.kernel = make_kernel(kDetector, "detector");
  f.border = Border::Valid;
  f.stride_x = stride;
  f.stride_y = stride;
  return f;
}

void expect_map(const FeatureMap& map, int size, const std::vector<float>& expected) {
  ASSERT_EQ(map.width, size);
  ASSERT_EQ(map.height, size);
  ASSERT_EQ(map.channels, 1);
  EXPECT_EQ(std::vector<float>(map.data.begin(), map.data.end()), expected);
}

TEST(LessonExample, SmileyFeatureMapAtStride1Is5x5) {
  const ImageView input = make_view(kSmiley.data(), 7, 7);
  const BankPlan plan({detector(1)}, {7, 7, 1, PixelType::U8}, {1, 0, 0});
  std::vector<FeatureMap> maps;
  plan.run(input, maps);
  ASSERT_EQ(maps.size(), 1u);
  expect_map(maps[0], 5, kStride1);
  EXPECT_EQ(maps[0].name, "smile_detector");
  expect_map(reference_filter(input, detector(1)), 5, kStride1);
}

TEST(LessonExample, SmileyFeatureMapAtStride2Is3x3) {
  const ImageView input = make_view(kSmiley.data(), 7, 7);
  const BankPlan plan({detector(2)}, {7, 7, 1, PixelType::U8}, {2, 1, 1});
  std::vector<FeatureMap> maps;
  plan.run(input, maps);
  ASSERT_EQ(maps.size(), 1u);
  expect_map(maps[0], 3, kStride2);
  expect_map(reference_filter(input, detector(2)), 3, kStride2);
}

// The same picture as floats gives the same maps; two detectors, two maps.
TEST(LessonExample, SeveralDetectorsGiveSeveralMaps) {
  const std::vector<float> picture(kSmiley.begin(), kSmiley.end());
  const ImageView input = make_view(picture.data(), 7, 7);
  const BankPlan plan({detector(1), detector(2)}, {7, 7, 1, PixelType::F32});
  std::vector<FeatureMap> maps;
  plan.run(input, maps);
  ASSERT_EQ(maps.size(), 2u);
  expect_map(maps[0], 5, kStride1);
  expect_map(maps[1], 3, kStride2);
}

}  // namespace
}  // namespace conveyor::conv
