// Highway's foreach_target re-includes this file once per instruction set.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "conv/simd_kernels.cpp"
#include "conv/simd_kernels.hpp"

#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include <cstdint>
#include <cstring>

#include "conv/combine_step-inl.h"
#include "conv/fixed_taps-inl.h"
#include "conv/mirror_taps-inl.h"
#include "conv/row_pair-inl.h"
#include "conveyor/conv/combine.hpp"

HWY_BEFORE_NAMESPACE();
namespace conveyor::conv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Streaming stores need vector-aligned destinations; rows of odd widths
// fall back to plain stores.
bool Streamable(bool stream, const float* dst0, const float* dst1) {
  const hn::ScalableTag<float> d;
  const std::size_t vector_bytes = hn::Lanes(d) * sizeof(float);
  return stream && reinterpret_cast<std::uintptr_t>(dst0) % vector_bytes == 0 &&
         reinterpret_cast<std::uintptr_t>(dst1) % vector_bytes == 0;
}

// Eight independent accumulators hide the FMA latency (about 4 cycles at two
// per cycle); the single-vector loop finishes the row with the same operation
// order per lane. StoreOut (fixed_taps-inl.h) streams when asked.
template <bool kStream>
void TapsLoop(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps, int tap_count,
              float* HWY_RESTRICT dst, int n) {
  const hn::ScalableTag<float> d;
  const int lanes = static_cast<int>(hn::Lanes(d));
  int i = 0;
  for (; i + 8 * lanes <= n; i += 8 * lanes) {
    const float* p = base + i + taps[0].offset;
    auto w = hn::Set(d, taps[0].weight);
    auto a0 = hn::Mul(w, hn::LoadU(d, p));
    auto a1 = hn::Mul(w, hn::LoadU(d, p + lanes));
    auto a2 = hn::Mul(w, hn::LoadU(d, p + 2 * lanes));
    auto a3 = hn::Mul(w, hn::LoadU(d, p + 3 * lanes));
    auto a4 = hn::Mul(w, hn::LoadU(d, p + 4 * lanes));
    auto a5 = hn::Mul(w, hn::LoadU(d, p + 5 * lanes));
    auto a6 = hn::Mul(w, hn::LoadU(d, p + 6 * lanes));
    auto a7 = hn::Mul(w, hn::LoadU(d, p + 7 * lanes));
    for (int t = 1; t < tap_count; ++t) {
      p = base + i + taps[t].offset;
      w = hn::Set(d, taps[t].weight);
      a0 = hn::MulAdd(w, hn::LoadU(d, p), a0);
      a1 = hn::MulAdd(w, hn::LoadU(d, p + lanes), a1);
      a2 = hn::MulAdd(w, hn::LoadU(d, p + 2 * lanes), a2);
      a3 = hn::MulAdd(w, hn::LoadU(d, p + 3 * lanes), a3);
      a4 = hn::MulAdd(w, hn::LoadU(d, p + 4 * lanes), a4);
      a5 = hn::MulAdd(w, hn::LoadU(d, p + 5 * lanes), a5);
      a6 = hn::MulAdd(w, hn::LoadU(d, p + 6 * lanes), a6);
      a7 = hn::MulAdd(w, hn::LoadU(d, p + 7 * lanes), a7);
    }
    StoreOut<kStream>(a0, d, dst + i);
    StoreOut<kStream>(a1, d, dst + i + lanes);
    StoreOut<kStream>(a2, d, dst + i + 2 * lanes);
    StoreOut<kStream>(a3, d, dst + i + 3 * lanes);
    StoreOut<kStream>(a4, d, dst + i + 4 * lanes);
    StoreOut<kStream>(a5, d, dst + i + 5 * lanes);
    StoreOut<kStream>(a6, d, dst + i + 6 * lanes);
    StoreOut<kStream>(a7, d, dst + i + 7 * lanes);
  }
  for (; i < n; i += lanes) {
    auto acc = hn::Mul(hn::Set(d, taps[0].weight), hn::LoadU(d, base + i + taps[0].offset));
    for (int t = 1; t < tap_count; ++t) {
      acc = hn::MulAdd(hn::Set(d, taps[t].weight), hn::LoadU(d, base + i + taps[t].offset), acc);
    }
    StoreOut<kStream>(acc, d, dst + i);
  }
}

template <bool kStream>
void AnyTapsLoop(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps, int tap_count,
                 float* HWY_RESTRICT dst, int n) {
  const bool fixed = WithFixedCount<1, 8>(
      tap_count, [&](auto k) { FixedTapsLoop<decltype(k)::value, kStream>(base, taps, dst, n); });
  if (!fixed) TapsLoop<kStream>(base, taps, tap_count, dst, n);
}

template <bool kStream>
void AnyColumnPair(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps, int tap_count,
                   std::ptrdiff_t step, float* HWY_RESTRICT dst0, float* HWY_RESTRICT dst1, int n) {
  const bool fixed = WithFixedCount<1, 8>(tap_count, [&](auto k) {
    FixedColumnPair<decltype(k)::value, kStream>(base, taps, step, dst0, dst1, n);
  });
  if (!fixed) {
    AnyTapsLoop<kStream>(base, taps, tap_count, dst0, n);
    AnyTapsLoop<kStream>(base + step, taps, tap_count, dst1, n);
  }
}

void ColumnPair(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps, int tap_count,
                std::ptrdiff_t step, float* HWY_RESTRICT dst0, float* HWY_RESTRICT dst1, int n,
                bool stream) {
  if (Streamable(stream, dst0, dst1)) {
    AnyColumnPair<true>(base, taps, tap_count, step, dst0, dst1, n);
  } else {
    AnyColumnPair<false>(base, taps, tap_count, step, dst0, dst1, n);
  }
}

void RowPair(const float* HWY_RESTRICT base, const PairTap* HWY_RESTRICT taps,
             const PairRun* HWY_RESTRICT runs, int run_count, float* HWY_RESTRICT dst0,
             float* HWY_RESTRICT dst1, int n, bool stream) {
  if (Streamable(stream, dst0, dst1)) {
    RowPairLoop<true>(base, taps, runs, run_count, dst0, dst1, n);
  } else {
    RowPairLoop<false>(base, taps, runs, run_count, dst0, dst1, n);
  }
}

template <bool kStream>
void AnySharedTaps(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps0,
                   const Tap* HWY_RESTRICT taps1, int tap_count, float* HWY_RESTRICT dst0,
                   float* HWY_RESTRICT dst1, int n) {
  const bool fixed = WithFixedCount<1, 9>(tap_count, [&](auto k) {
    FixedSharedTaps<decltype(k)::value, kStream>(base, taps0, taps1, dst0, dst1, n);
  });
  if (!fixed) {
    AnyTapsLoop<kStream>(base, taps0, tap_count, dst0, n);
    AnyTapsLoop<kStream>(base, taps1, tap_count, dst1, n);
  }
}

void SharedTaps(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps0,
                const Tap* HWY_RESTRICT taps1, int tap_count, float* HWY_RESTRICT dst0,
                float* HWY_RESTRICT dst1, int n, bool stream) {
  if (Streamable(stream, dst0, dst1)) {
    AnySharedTaps<true>(base, taps0, taps1, tap_count, dst0, dst1, n);
  } else {
    AnySharedTaps<false>(base, taps0, taps1, tap_count, dst0, dst1, n);
  }
}

void SubsetTaps(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT all, int all_count,
                const Tap* HWY_RESTRICT sub, int sub_count, const float* HWY_RESTRICT sub_weights,
                std::uint32_t mask, float* HWY_RESTRICT dst_all, float* HWY_RESTRICT dst_sub,
                int n) {
  int done = 0;
  WithFixedCount<2, 9>(all_count, [&](auto k) {
    done = FixedSubsetTaps<decltype(k)::value, false>(base, all, sub_weights, mask, dst_all,
                                                      dst_sub, n);
  });
  if (done < n) {
    AnyTapsLoop<false>(base + done, all, all_count, dst_all + done, n - done);
    AnyTapsLoop<false>(base + done, sub, sub_count, dst_sub + done, n - done);
  }
}

void MirrorTaps(const float* HWY_RESTRICT base, const MirrorTerms& terms, float* HWY_RESTRICT dst,
                int n) {
  AnyMirrorLoop(base, terms, MirrorTerms{}, dst, nullptr, n);
}

void MirrorSubsetTaps(const float* HWY_RESTRICT base, const MirrorTerms& all,
                      const MirrorTerms& sub, float* HWY_RESTRICT dst_all,
                      float* HWY_RESTRICT dst_sub, int n) {
  AnyMirrorLoop(base, all, sub, dst_all, dst_sub, n);
}

void WeightedTaps(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps, int tap_count,
                  float* HWY_RESTRICT dst, int n, bool stream) {
  const hn::ScalableTag<float> d;
  if (tap_count == 0) {
    for (int i = 0; i < n; i += static_cast<int>(hn::Lanes(d))) hn::StoreU(hn::Zero(d), d, dst + i);
    return;
  }
  if (Streamable(stream, dst, dst)) {
    AnyTapsLoop<true>(base, taps, tap_count, dst, n);
  } else {
    AnyTapsLoop<false>(base, taps, tap_count, dst, n);
  }
}

// One loop per operation: the reduction is chosen once per row, not per element.
template <CombineOp kOp>
void CombineLoop(const float* const* HWY_RESTRICT inputs, int count,
                 const float* HWY_RESTRICT weights, float* HWY_RESTRICT dst, int n) {
  const hn::ScalableTag<float> d;
  const int lanes = static_cast<int>(hn::Lanes(d));
  for (int i = 0; i < n; i += lanes) {
    auto acc = CombineStart<kOp>(d);
    for (int k = 0; k < count; ++k) {
      acc = CombineStep<kOp>(d, acc, hn::LoadU(d, inputs[k] + i), weights, k);
    }
    hn::StoreU(CombineFinish<kOp>(acc), d, dst + i);
  }
}

void CombineRows(const float* const* HWY_RESTRICT inputs, int count, int op,
                 const float* HWY_RESTRICT weights, float* HWY_RESTRICT dst, int n) {
  switch (static_cast<CombineOp>(op)) {
    case CombineOp::Magnitude:
      return CombineLoop<CombineOp::Magnitude>(inputs, count, weights, dst, n);
    case CombineOp::SumAbs:
      return CombineLoop<CombineOp::SumAbs>(inputs, count, weights, dst, n);
    case CombineOp::Max:
      return CombineLoop<CombineOp::Max>(inputs, count, weights, dst, n);
    case CombineOp::MaxAbs:
      return CombineLoop<CombineOp::MaxAbs>(inputs, count, weights, dst, n);
    case CombineOp::WeightedSum:
      return CombineLoop<CombineOp::WeightedSum>(inputs, count, weights, dst, n);
    case CombineOp::Stack:
      return;
  }
}

// Plain vector loads and stores: glibc's memcpy uses `rep movsb` for copies of
// a few kilobytes, which this engine's row copies are, and that was 10 % slower
// on the AMD machine the engine is measured on.
void CopyFloats(const float* HWY_RESTRICT src, float* HWY_RESTRICT dst, int n) {
  const hn::ScalableTag<float> d;
  const int lanes = static_cast<int>(hn::Lanes(d));
  int i = 0;
  // Pinned: without it GCC recognises the loop as a copy and calls memcpy again.
  for (; i + lanes <= n; i += lanes) hn::StoreU(Pinned(hn::LoadU(d, src + i)), d, dst + i);
  // memcpy, not dst[i] = src[i]: an f32 view's rows need not be 4-byte aligned.
  if (i < n) std::memcpy(dst + i, src + i, sizeof(float) * static_cast<std::size_t>(n - i));
}

const char* CurrentTargetName() {
  return hwy::TargetName(HWY_TARGET);
}

}  // namespace conveyor::conv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace conveyor::conv::detail {

HWY_EXPORT(WeightedTaps);
HWY_EXPORT(ColumnPair);
HWY_EXPORT(RowPair);
HWY_EXPORT(SharedTaps);
HWY_EXPORT(SubsetTaps);
HWY_EXPORT(MirrorTaps);
HWY_EXPORT(MirrorSubsetTaps);
HWY_EXPORT(CombineRows);
HWY_EXPORT(CurrentTargetName);
HWY_EXPORT(CopyFloats);

void copy_floats(const float* src, float* dst, int n) {
  HWY_DYNAMIC_DISPATCH(CopyFloats)(src, dst, n);
}

void weighted_taps(const float* base, const Tap* taps, int tap_count, float* dst, int n,
                   bool stream) {
  HWY_DYNAMIC_DISPATCH(WeightedTaps)(base, taps, tap_count, dst, n, stream);
}

void column_pair(const float* base, const Tap* taps, int tap_count, std::ptrdiff_t step,
                 float* dst0, float* dst1, int n, bool stream) {
  HWY_DYNAMIC_DISPATCH(ColumnPair)(base, taps, tap_count, step, dst0, dst1, n, stream);
}

void row_pair(const float* base, const PairTap* taps, const PairRun* runs, int run_count,
              float* dst0, float* dst1, int n, bool stream) {
  HWY_DYNAMIC_DISPATCH(RowPair)(base, taps, runs, run_count, dst0, dst1, n, stream);
}

void shared_taps(const float* base, const Tap* taps0, const Tap* taps1, int tap_count, float* dst0,
                 float* dst1, int n, bool stream) {
  HWY_DYNAMIC_DISPATCH(SharedTaps)(base, taps0, taps1, tap_count, dst0, dst1, n, stream);
}

void subset_taps(const float* base, const Tap* all, int all_count, const Tap* sub, int sub_count,
                 const float* sub_weights, std::uint32_t mask, float* dst_all, float* dst_sub,
                 int n) {
  HWY_DYNAMIC_DISPATCH(SubsetTaps)
  (base, all, all_count, sub, sub_count, sub_weights, mask, dst_all, dst_sub, n);
}

void mirror_taps(const float* base, const MirrorTerms& terms, float* dst, int n) {
  HWY_DYNAMIC_DISPATCH(MirrorTaps)(base, terms, dst, n);
}

void mirror_subset_taps(const float* base, const MirrorTerms& all, const MirrorTerms& sub,
                        float* dst_all, float* dst_sub, int n) {
  HWY_DYNAMIC_DISPATCH(MirrorSubsetTaps)(base, all, sub, dst_all, dst_sub, n);
}

void flush_streams() {
  hwy::FlushStream();
}

void combine_rows(const float* const* inputs, int count, int op, const float* weights, float* dst,
                  int n) {
  HWY_DYNAMIC_DISPATCH(CombineRows)(inputs, count, op, weights, dst, n);
}

void widen_u8(const unsigned char* src, int step, float* dst, int n) {
  // Plain loop: the compiler vectorises the step-1 case, which is the hot one.
  if (step == 1) {
    for (int i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]);
  } else {
    for (int i = 0; i < n; ++i)
      dst[i] = static_cast<float>(src[static_cast<std::ptrdiff_t>(i) * step]);
  }
}

const char* simd_target_name() {
  return HWY_DYNAMIC_DISPATCH(CurrentTargetName)();
}

}  // namespace conveyor::conv::detail
#endif
