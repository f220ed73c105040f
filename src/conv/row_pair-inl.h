// Two output rows of a direct (non-separable) filter in one loop: rows oy and
// oy + 1 read K + 1 input rows between them instead of 2K, so each loaded
// vector of the K - 1 shared rows feeds two sums. For a dense 11x11 kernel that
// is 132 loads for 242 multiply-adds instead of 242 of each. Highway
// re-includes this once per target, hence the toggle guard.
#if defined(CONVEYOR_CONV_ROW_PAIR_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef CONVEYOR_CONV_ROW_PAIR_INL_H_
#undef CONVEYOR_CONV_ROW_PAIR_INL_H_
#else
#define CONVEYOR_CONV_ROW_PAIR_INL_H_
#endif

#include <hwy/highway.h>

#include "conv/fixed_taps-inl.h"
#include "conv/simd_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace conveyor::conv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// kW vectors of both rows from column i. The sums start at -0.0: a fused
// multiply-add onto -0.0 rounds once and keeps the sign of a zero product, so
// it equals the plain product TapsLoop starts with, bit for bit, and each
// row's taps then come in the plain loop's order (runs are sorted by offset).
template <int kW, bool kStream>
HWY_INLINE void RowPairBlock(const float* HWY_RESTRICT base, const PairTap* HWY_RESTRICT taps,
                             const PairRun* HWY_RESTRICT runs, int run_count,
                             float* HWY_RESTRICT dst0, float* HWY_RESTRICT dst1, int i) {
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  const int lanes = static_cast<int>(hn::Lanes(d));
  V a[kW];
  V b[kW];
  for (int j = 0; j < kW; ++j) a[j] = b[j] = hn::Set(d, -0.0f);
  for (int r = 0; r < run_count; ++r) {
    const PairRun run = runs[r];
    if (run.rows == PairRows::Both) {
      for (int t = run.begin; t < run.end; ++t) {
        const float* p = base + taps[t].offset + i;
        const V w0 = hn::Set(d, taps[t].w0);
        const V w1 = hn::Set(d, taps[t].w1);
        for (int j = 0; j < kW; ++j) {
          const V x = Pinned(hn::LoadU(d, p + j * lanes));
          a[j] = hn::MulAdd(w0, x, a[j]);
          b[j] = hn::MulAdd(w1, x, b[j]);
        }
      }
    } else if (run.rows == PairRows::First) {
      for (int t = run.begin; t < run.end; ++t) {
        const float* p = base + taps[t].offset + i;
        const V w0 = hn::Set(d, taps[t].w0);
        for (int j = 0; j < kW; ++j) a[j] = hn::MulAdd(w0, hn::LoadU(d, p + j * lanes), a[j]);
      }
    } else {
      for (int t = run.begin; t < run.end; ++t) {
        const float* p = base + taps[t].offset + i;
        const V w1 = hn::Set(d, taps[t].w1);
        for (int j = 0; j < kW; ++j) b[j] = hn::MulAdd(w1, hn::LoadU(d, p + j * lanes), b[j]);
      }
    }
  }
  for (int j = 0; j < kW; ++j) {
    StoreOut<kStream>(a[j], d, dst0 + i + j * lanes);
    StoreOut<kStream>(b[j], d, dst1 + i + j * lanes);
  }
}

// Six vectors per row keep 12 sums, the loaded vector and two weights in the
// 16 registers of AVX2; the remainder goes two vectors, then one, at a time.
template <bool kStream>
void RowPairLoop(const float* HWY_RESTRICT base, const PairTap* HWY_RESTRICT taps,
                 const PairRun* HWY_RESTRICT runs, int run_count, float* HWY_RESTRICT dst0,
                 float* HWY_RESTRICT dst1, int n) {
  const hn::ScalableTag<float> d;
  const int lanes = static_cast<int>(hn::Lanes(d));
  int i = 0;
  for (; i + 6 * lanes <= n; i += 6 * lanes) {
    RowPairBlock<6, kStream>(base, taps, runs, run_count, dst0, dst1, i);
  }
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    RowPairBlock<2, kStream>(base, taps, runs, run_count, dst0, dst1, i);
  }
  for (; i < n; i += lanes) RowPairBlock<1, kStream>(base, taps, runs, run_count, dst0, dst1, i);
}

}  // namespace conveyor::conv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif
