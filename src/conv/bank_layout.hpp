// The inside of a BankPlan: everything decided once, before the first frame.
#pragma once

#include <hwy/aligned_allocator.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/task_arena.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "conv/simd_int_kernels.hpp"
#include "conv/simd_kernels.hpp"
#include "conveyor/conv/bank.hpp"

namespace conveyor::conv {

namespace detail {

// Filters that share a border rule share one padded copy of each tile.
// Halos are how far the group's kernels reach beyond the tile's reference points.
struct BorderGroup {
  Border border = Border::Zero;
  int left = 0, right = 0, top = 0, bottom = 0;
};

// How many elements a padded tile is shifted inside its buffer so that its
// first inside column (after `left` halo columns) starts a kBlock boundary:
// the copy into it then writes whole aligned vectors, which measured 5 %
// faster on the six-map bank than stores split across cache lines.
inline int padded_lead(const BorderGroup& group) {
  return (kBlock - group.left % kBlock) % kBlock;
}

// A horizontal 1-D pass over a group's padded tile, shared by every separable
// filter with the same row factor and horizontal offset.
struct RowPass {
  int group = 0;
  int offset_x = 0;
  std::vector<float> weights;
  std::vector<Tap> taps;  // offsets within one padded row
  // Another pass of the group whose taps are a subset of these runs in the
  // same loop, sharing loads (see detail::subset_taps): `partner` is set here,
  // `by_partner` there. partner_weights/mask: its weights over these taps.
  int partner = -1;
  bool by_partner = false;
  std::vector<float> partner_weights;
  std::uint32_t partner_mask = 0;
  // Taps mirrored around a centre run folded (see mirror_taps-inl.h). A
  // mirrored pass pairs only with a mirrored partner whose terms are the first
  // of its own (a Gaussian 5 inside a box 7).
  bool mirrored = false;
  std::ptrdiff_t mirror_center = 0;
  std::vector<MirrorTerm> mirror_terms;

  MirrorTerms mirror() const {
    return {mirror_center, mirror_terms.data(), static_cast<int>(mirror_terms.size())};
  }
};

// A kernel's taps for the integer path (see simd_int_kernels.hpp), offsets
// within the group's padded int16 tile.
struct IntTaps {
  std::vector<std::ptrdiff_t> plus;
  std::vector<std::ptrdiff_t> minus;
  std::vector<IntTap> other;

  IntKernelRef over(const std::int16_t* base) const {
    return {base,
            plus.data(),
            static_cast<int>(plus.size()),
            minus.data(),
            static_cast<int>(minus.size()),
            other.data(),
            static_cast<int>(other.size())};
  }
};

struct PlannedFilter {
  Filter filter;  // kernel already flipped for true convolution
  int group = 0;
  int offset_x = 0;  // input x = ox * stride_x + offset_x + kx
  int offset_y = 0;
  MapSize out;
  int row_pass = -1;      // separable: the row pass feeding the column taps
  std::vector<Tap> taps;  // direct: 2-D taps in the padded tile; separable: column taps
  int multiply_adds = 0;  // per output pixel and channel, row pass included
  // Separable, stride_y 1, column taps on consecutive rows: output rows run in
  // pairs that share their loads.
  bool column_pairs = false;
  // Direct filters with the same tap offsets, rows and strides run as one pass
  // sharing their loads: `partner` is set on the first, `by_partner` on the second.
  int partner = -1;
  bool by_partner = false;
  // Direct, stride_y 1, unpaired, reaching over at least two rows: output rows
  // run in pairs sharing the loads of their common input rows (row_pair).
  std::vector<PairTap> pair_taps;
  std::vector<PairRun> pair_runs;
  IntTaps int_taps;  // integer path only: the direct 2-D taps
};

// Per-thread working memory, sized once for the largest tile.
struct TileScratch {
  std::vector<hwy::AlignedFreeUniquePtr<float[]>> padded;             // one per border group
  std::vector<hwy::AlignedFreeUniquePtr<std::int16_t[]>> padded_int;  // integer path: per group
  // Where each group's padded tile starts inside its allocation: shifted so
  // that the tile's first inside column is vector-aligned (see padded_lead).
  std::vector<float*> padded_origin;
  std::vector<std::int16_t*> padded_int_origin;
  std::vector<hwy::AlignedFreeUniquePtr<float[]>> row_out;   // one per row pass
  std::vector<hwy::AlignedFreeUniquePtr<float[]>> map_rows;  // fused combine: one row per input
  hwy::AlignedFreeUniquePtr<float[]> tail;  // the last, partial block of a row (or row pair)
};

}  // namespace detail

struct BankPlan::Impl {
  InputShape shape;
  PlanOptions options;
  std::vector<Filter> filters;  // as given (for filters())
  std::vector<detail::PlannedFilter> planned;
  std::vector<detail::BorderGroup> groups;
  std::vector<detail::RowPass> row_passes;
  int tile_width = 0;
  int tile_height = 0;
  int tiles_x = 0;
  int tiles_y = 0;
  int padded_stride = 0;  // floats per padded tile row
  int padded_rows = 0;
  int row_stride = 0;           // floats per row-pass output row and per scratch row
  bool stream_outputs = false;  // maps far larger than the caches: non-temporal stores
  // u8 input and only small integer kernels: exact int16 arithmetic on padded
  // int16 tiles, every kernel as direct taps, no row passes.
  bool integer_path = false;
  std::optional<tbb::task_arena> arena;  // only when a thread count is forced
  mutable tbb::enumerable_thread_specific<detail::TileScratch> scratch;

  detail::TileScratch& local_scratch() const;
  template <typename T>
  void fill_padded(const ImageView& input, int group, int channel, int x0, int y0, int width,
                   int height, T* padded) const;
  // Runs one tile; with `combine` set, writes only the combined map.
  void run_tile(const ImageView& input, int tile, std::vector<FeatureMap>* outputs,
                const Combine* combine, FeatureMap* combined) const;
  template <typename Body>
  void parallel_tiles(Body&& body) const;
};

}  // namespace conveyor::conv
