// A bank of filters planned once for an input shape and run on every frame.
//
// Planning classifies each kernel (separable? zero taps?), groups kernels that
// share a row pass, and cuts the frame into cache-sized tiles. Running spreads
// the tiles over a oneTBB arena; each tile's input is read once and every filter
// of the bank is computed while it is hot. Results are bitwise identical for
// every thread count and tile size.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "conveyor/conv/combine.hpp"
#include "conveyor/conv/image.hpp"
#include "conveyor/conv/kernel.hpp"

namespace conveyor::conv {

struct InputShape {
  int width = 0;
  int height = 0;
  int channels = 1;
  PixelType type = PixelType::F32;
};

// Whether feature maps are written with non-temporal (streaming) stores, which
// skip the cache: faster for maps far larger than the last-level cache, slower
// when the consumer reads them back from cache.
enum class StreamStores { Auto, On, Off };

struct PlanOptions {
  int threads = 0;      // 0: the caller's arena (every hardware thread by default)
  int tile_width = 0;   // 0: chosen from the cache sizes
  int tile_height = 0;  // 0: chosen from the cache sizes
  StreamStores stream = StreamStores::Auto;
};

// How one filter runs, as `conveyor validate` and `--explain` print it.
struct FilterPlanInfo {
  std::string name;
  int out_width = 0;
  int out_height = 0;
  bool separable = false;
  int taps = 0;              // multiply-adds per output pixel and channel
  int shared_row_pass = -1;  // index of the row pass it uses, -1 for a direct 2-D pass
};

struct PlanInfo {
  std::vector<FilterPlanInfo> filters;
  int row_passes = 0;  // distinct row passes after sharing
  int tile_width = 0;
  int tile_height = 0;
  int tiles = 0;
  int threads = 0;
  double macs_per_frame = 0;
  std::string simd_target;    // the instruction set chosen at run time
  bool integer_path = false;  // u8 input, small integer kernels: exact 16-bit arithmetic
};

class BankPlan {
 public:
  // Throws ConfigError for an empty bank, invalid filters, or a geometry that
  // leaves an empty feature map.
  BankPlan(std::vector<Filter> filters, InputShape shape, PlanOptions options = {});
  ~BankPlan();
  BankPlan(BankPlan&&) noexcept;
  BankPlan& operator=(BankPlan&&) noexcept;

  const InputShape& input_shape() const;
  const std::vector<Filter>& filters() const;
  PlanInfo info() const;

  // One feature map per filter, in bank order. `outputs` is resized as needed
  // and may be reused between frames to avoid allocation.
  void run(const ImageView& input, std::vector<FeatureMap>& outputs) const;

  // Fused: the combined map only, computed tile by tile without writing the
  // individual maps. Bitwise equal to run() followed by combine_maps().
  void run_combined(const ImageView& input, const Combine& combine, FeatureMap& output) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace conveyor::conv
