// Planning a bank: validate, classify each kernel once, share row passes,
// choose the tile size. Running lives in bank_run.cpp.
#include <unistd.h>

#include <algorithm>
#include <numeric>
#include <sstream>

#include "conv/bank_layout.hpp"
#include "conv/bank_sharing.hpp"
#include "conv/kernel_analysis.hpp"
#include "conveyor/conv/errors.hpp"

namespace conveyor::conv {
namespace {

using detail::BorderGroup;
using detail::PlannedFilter;
using detail::RowPass;
using detail::Tap;

int group_for(std::vector<BorderGroup>& groups, Border border) {
  // Valid reads no outside pixel, so it can share a zero-padded copy.
  const Border fill = border == Border::Valid ? Border::Zero : border;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].border == fill) return static_cast<int>(g);
  }
  groups.push_back(BorderGroup{fill});
  return static_cast<int>(groups.size() - 1);
}

int row_pass_for(std::vector<RowPass>& passes, int group, int offset_x,
                 const std::vector<float>& weights) {
  for (std::size_t p = 0; p < passes.size(); ++p) {
    if (passes[p].group == group && passes[p].offset_x == offset_x &&
        passes[p].weights == weights) {
      return static_cast<int>(p);
    }
  }
  RowPass pass;
  pass.group = group;
  pass.offset_x = offset_x;
  pass.weights = weights;
  passes.push_back(std::move(pass));
  return static_cast<int>(passes.size() - 1);
}

detail::IntTaps integer_taps(const std::vector<Tap>& taps) {
  detail::IntTaps result;
  for (const Tap& tap : taps) {
    if (tap.weight == 1.0f) {
      result.plus.push_back(tap.offset);
    } else if (tap.weight == -1.0f) {
      result.minus.push_back(tap.offset);
    } else {
      result.other.push_back({tap.offset, static_cast<std::int16_t>(tap.weight)});
    }
  }
  return result;
}

std::size_t level2_cache_bytes() {
  const long reported = sysconf(_SC_LEVEL2_CACHE_SIZE);
  return reported > 0 ? static_cast<std::size_t>(reported) : std::size_t{1} << 20;
}

// What a row pass's output buffer costs, counted in multiply-adds per pixel.
constexpr int kRowBufferCost = 2;

int round_up(int value, int multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

}  // namespace

BankPlan::BankPlan(std::vector<Filter> filters, InputShape shape, PlanOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  if (filters.empty()) throw ConfigError("the bank is empty; expected at least one filter");
  if (shape.width <= 0 || shape.height <= 0) {
    std::ostringstream message;
    message << "input size " << shape.width << "x" << shape.height
            << " is empty; expected at least 1x1";
    throw ConfigError(message.str());
  }
  if (shape.channels != 1 && shape.channels != 3) {
    throw ConfigError("input has " + std::to_string(shape.channels) +
                      " channels; expected 1 (gray) or 3 (BGR)");
  }
  if (options.threads < 0 || options.tile_width < 0 || options.tile_height < 0) {
    throw ConfigError("threads and tile sizes must be 0 (automatic) or positive");
  }
  p.shape = shape;
  p.options = options;
  p.filters = filters;

  int lcm_x = 1;
  int lcm_y = 1;
  for (const Filter& filter : filters) {
    validate_filter(filter);
    PlannedFilter planned;
    planned.filter = filter;
    if (filter.flip) planned.filter.kernel = flipped(filter.kernel);
    const Kernel& k = planned.filter.kernel;
    planned.out = output_size(filter, shape.width, shape.height);
    if (planned.out.width <= 0 || planned.out.height <= 0) {
      std::ostringstream message;
      message << "filter '" << filter.name << "' (" << k.width << "x" << k.height << ", border "
              << to_string(filter.border) << ") leaves an empty feature map on a " << shape.width
              << "x" << shape.height << " input; expected an input at least as large as the kernel";
      throw ConfigError(message.str());
    }
    const bool valid = filter.border == Border::Valid;
    planned.offset_x = valid ? 0 : -k.anchor_col();
    planned.offset_y = valid ? 0 : -k.anchor_row();
    planned.group = group_for(p.groups, filter.border);
    BorderGroup& group = p.groups[static_cast<std::size_t>(planned.group)];
    group.left = std::max(group.left, -planned.offset_x);
    group.right = std::max(group.right, planned.offset_x + k.width - 1);
    group.top = std::max(group.top, -planned.offset_y);
    group.bottom = std::max(group.bottom, planned.offset_y + k.height - 1);
    lcm_x = std::lcm(lcm_x, filter.stride_x);
    lcm_y = std::lcm(lcm_y, filter.stride_y);
    p.planned.push_back(std::move(planned));
  }

  // Each kernel is factorized once; the column factor is reused for the taps below.
  std::vector<detail::Factorization> factors(p.planned.size());
  p.integer_path = shape.type == PixelType::U8;
  for (std::size_t i = 0; i < p.planned.size(); ++i) {
    const Kernel& k = p.planned[i].filter.kernel;
    factors[i] = detail::factorize(k);
    const int direct = detail::nonzero_count(k.weights);
    const int row_and_column =
        detail::nonzero_count(factors[i].row) + detail::nonzero_count(factors[i].column);
    // A row pass also writes its output row and reads it back: that buffer
    // traffic costs about two multiply-adds per pixel (Sobel 3, 3 + 2 taps
    // against 6 direct, measured 7 % faster direct in the standard bank).
    const bool split = factors[i].separable && row_and_column + kRowBufferCost < direct;
    if (!split) factors[i].separable = false;
    // Integer lanes are twice as many as float lanes, but run every tap directly.
    const int float_cost = split ? row_and_column : direct;
    p.integer_path = p.integer_path && detail::fits_int16_on_u8(k) && direct <= 2 * float_cost;
  }
  std::vector<std::vector<float>> columns(p.planned.size());
  for (std::size_t i = 0; i < p.planned.size() && !p.integer_path; ++i) {
    auto& planned = p.planned[i];
    if (factors[i].separable) {
      planned.row_pass =
          row_pass_for(p.row_passes, planned.group, planned.offset_x, factors[i].row);
      columns[i] = std::move(factors[i].column);
    }
  }
  int reach_x = 0;
  int reach_y = 0;
  for (const auto& g : p.groups) {
    reach_x = std::max(reach_x, g.left + g.right);
    reach_y = std::max(reach_y, g.top + g.bottom);
  }
  // Tiles are full-width strips where rows fit comfortably (long rows keep the
  // hardware prefetchers streaming), and as many rows as let the padded input
  // and the row-pass outputs of one tile fill about half of the L2 cache. The
  // row passes also run over each tile's halo rows: when that budget leaves
  // strips under 8 halos tall, the buffers spill to L3 anyway and the strips
  // are made as tall as leaves 4 per thread, which redoes the fewest halo rows
  // (the 6-kernel bank at 720p: 90 rows beat 48 by 2 %, and 48 beat 16 by 10 %).
  const int buffers = static_cast<int>(p.groups.size() + p.row_passes.size());
  const std::size_t budget = level2_cache_bytes() / 2;
  int tile_w = options.tile_width ? options.tile_width : shape.width <= 2048 ? shape.width : 1024;
  tile_w = std::min(round_up(tile_w, lcm_x), round_up(shape.width, lcm_x));
  int tile_h = options.tile_height;
  if (!tile_h) {
    tile_h = static_cast<int>(budget / (sizeof(float) * static_cast<std::size_t>(buffers) *
                                        static_cast<std::size_t>(tile_w + 32)));
    const int threads =
        options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
    const int balanced = (shape.height + 4 * threads - 1) / (4 * threads);
    if (tile_h < 8 * reach_y) tile_h = std::max(tile_h, balanced);
    tile_h = std::clamp(tile_h, 16, 256);
    // Equal shares: the tile count is rounded up to a multiple of the thread
    // count, so no thread idles while another runs the frame's last tile
    // (720 rows as 15 strips on 2 threads measured 5 % slower than 16).
    const int tiles_x = (shape.width + tile_w - 1) / tile_w;
    int strips = (shape.height + tile_h - 1) / tile_h;
    while ((tiles_x * strips) % threads != 0 && shape.height / (strips + 1) >= 16) ++strips;
    tile_h = (shape.height + strips - 1) / strips;
  }
  tile_h = std::min(round_up(tile_h, lcm_y), round_up(shape.height, lcm_y));
  p.tile_width = tile_w;
  p.tile_height = tile_h;
  p.tiles_x = (shape.width + tile_w - 1) / tile_w;
  p.tiles_y = (shape.height + tile_h - 1) / tile_h;

  p.row_stride = detail::round_up_block(tile_w);
  p.padded_stride = detail::round_up_block(p.row_stride + reach_x);
  p.padded_rows = tile_h + reach_y;

  // Tap offsets are baked for the buffer strides chosen above.
  for (auto& pass : p.row_passes) {
    const int left = p.groups[static_cast<std::size_t>(pass.group)].left;
    for (std::size_t kx = 0; kx < pass.weights.size(); ++kx) {
      if (pass.weights[kx] == 0.0f) continue;
      pass.taps.push_back(Tap{left + pass.offset_x + static_cast<int>(kx), pass.weights[kx]});
    }
    detail::plan_mirror(pass);
  }
  detail::pair_row_passes(p.row_passes);
  for (std::size_t i = 0; i < p.planned.size(); ++i) {
    auto& planned = p.planned[i];
    const Kernel& k = planned.filter.kernel;
    const int left = p.groups[static_cast<std::size_t>(planned.group)].left;
    if (planned.row_pass >= 0) {
      const std::vector<float>& column = columns[i];
      for (int ky = 0; ky < k.height; ++ky) {
        if (column[ky] == 0.0f) continue;
        planned.taps.push_back(Tap{static_cast<std::ptrdiff_t>(ky) * p.row_stride, column[ky]});
      }
      planned.multiply_adds =
          static_cast<int>(planned.taps.size() +
                           p.row_passes[static_cast<std::size_t>(planned.row_pass)].taps.size());
      planned.column_pairs = detail::taps_on_consecutive_rows(planned, p.row_stride);
    } else {
      for (int ky = 0; ky < k.height; ++ky) {
        for (int kx = 0; kx < k.width; ++kx) {
          if (k.at(ky, kx) == 0.0f) continue;
          planned.taps.push_back(
              Tap{static_cast<std::ptrdiff_t>(ky) * p.padded_stride + left + planned.offset_x + kx,
                  k.at(ky, kx)});
        }
      }
      planned.multiply_adds = static_cast<int>(planned.taps.size());
      if (p.integer_path) planned.int_taps = integer_taps(planned.taps);
    }
  }
  if (!p.integer_path) {
    detail::pair_shared_taps(p.planned);
    for (auto& planned : p.planned) detail::plan_row_pairs(planned, p.padded_stride);
  }
  // Output that cannot stay in cache until it is read again is streamed to
  // memory, saving the read-for-ownership of every written line.
  double output_bytes = 0;
  for (const auto& planned : p.planned) {
    output_bytes += 4.0 * planned.out.width * planned.out.height * shape.channels;
  }
  p.stream_outputs = options.stream == StreamStores::On ||
                     (options.stream == StreamStores::Auto &&
                      output_bytes > 32.0 * static_cast<double>(level2_cache_bytes()));
  if (options.threads > 0) p.arena.emplace(options.threads);
}

BankPlan::~BankPlan() = default;
BankPlan::BankPlan(BankPlan&&) noexcept = default;
BankPlan& BankPlan::operator=(BankPlan&&) noexcept = default;

const InputShape& BankPlan::input_shape() const {
  return impl_->shape;
}
const std::vector<Filter>& BankPlan::filters() const {
  return impl_->filters;
}

PlanInfo BankPlan::info() const {
  const Impl& p = *impl_;
  PlanInfo info;
  std::vector<bool> pass_counted(p.row_passes.size(), false);
  for (const auto& planned : p.planned) {
    FilterPlanInfo f;
    f.name = planned.filter.name;
    f.out_width = planned.out.width;
    f.out_height = planned.out.height;
    f.separable = planned.row_pass >= 0;
    f.taps = planned.multiply_adds;
    f.shared_row_pass = planned.row_pass;
    const double pixels =
        static_cast<double>(planned.out.width) * planned.out.height * p.shape.channels;
    info.macs_per_frame += pixels * static_cast<double>(planned.taps.size());
    if (planned.row_pass >= 0 && !pass_counted[static_cast<std::size_t>(planned.row_pass)]) {
      pass_counted[static_cast<std::size_t>(planned.row_pass)] = true;
      info.macs_per_frame +=
          static_cast<double>(p.shape.width) * p.shape.height * p.shape.channels *
          static_cast<double>(p.row_passes[static_cast<std::size_t>(planned.row_pass)].taps.size());
    }
    info.filters.push_back(f);
  }
  info.row_passes = static_cast<int>(p.row_passes.size());
  info.tile_width = p.tile_width;
  info.tile_height = p.tile_height;
  info.tiles = p.tiles_x * p.tiles_y;
  info.threads = p.arena ? p.options.threads : tbb::this_task_arena::max_concurrency();
  info.simd_target = detail::simd_target_name();
  info.integer_path = p.integer_path;
  return info;
}

}  // namespace conveyor::conv
