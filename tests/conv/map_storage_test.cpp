// Feature map storage: rows must allow aligned (streaming) stores, and maps
// allocated one after another must not all start at the same offset within a
// 4 KiB page, which made the six-map bank 25 % slower (4K aliasing).
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

#include "conveyor/conv/image.hpp"

namespace conveyor::conv::test {
namespace {

TEST(MapStorage, LargeMapsAreAlignedAndStartAtDifferentPageOffsets) {
  std::vector<FeatureMap> maps(7);
  std::set<std::uintptr_t> page_offsets;
  for (auto& map : maps) {
    map.resize(1280, 720, 1);
    const auto address = reinterpret_cast<std::uintptr_t>(map.data.data());
    EXPECT_EQ(address % 64, 0u);
    page_offsets.insert(address % 4096);
  }
  EXPECT_EQ(page_offsets.size(), maps.size());
  // Every byte is usable, to the last one of every map.
  for (auto& map : maps) {
    map.data.front() = 1.0f;
    map.data.back() = 2.0f;
    EXPECT_EQ(map.data.back(), 2.0f);
  }
}

TEST(MapStorage, SmallMapsAndRegrowingKeepTheirValues) {
  FeatureMap small(3, 2, 1);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(small.data.data()) % 64, 0u);
  for (float v : small.data) EXPECT_EQ(v, 0.0f);
  FeatureMap map(8, 8, 1);
  map.at(7, 7) = 5.0f;
  map.data.resize(1280 * 720);  // from plain to staggered storage: the values move along
  EXPECT_EQ(map.data[63], 5.0f);
  map.data.resize(10);  // shrinking keeps the block
  EXPECT_EQ(map.data[9], 0.0f);
  FeatureMap copy = map;
  EXPECT_EQ(copy.data, map.data);
}

}  // namespace
}  // namespace conveyor::conv::test
