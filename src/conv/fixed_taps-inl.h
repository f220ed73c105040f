// The tap loops for a tap count known at compile time (1-9 taps): single
// rows, row pairs sharing loads, and two filters sharing loads. Every loop gives
// each lane the operation sequence of the generic TapsLoop (first tap
// multiplied, the rest fused multiply-add in tap order), so all are bitwise
// interchangeable. Highway re-includes this once per target, hence the toggle guard.
#if defined(CONVEYOR_CONV_FIXED_TAPS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef CONVEYOR_CONV_FIXED_TAPS_INL_H_
#undef CONVEYOR_CONV_FIXED_TAPS_INL_H_
#else
#define CONVEYOR_CONV_FIXED_TAPS_INL_H_
#endif

#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "conv/simd_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace conveyor::conv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// A loaded vector that feeds several multiply-adds: without this the compiler
// folds the load into each of them as a memory operand and loads it again for
// every sum, undoing the sharing. The empty asm only pins it to a register.
template <class V>
HWY_INLINE V Pinned(V v) {
#if HWY_ARCH_X86 && HWY_TARGET != HWY_EMU128 && HWY_TARGET != HWY_SCALAR
  asm("" : "+x"(v.raw));
#endif
  return v;
}

// Streaming stores skip the read-for-ownership of output maps that are far
// larger than the cache.
template <bool kStream, class D, class V>
HWY_INLINE void StoreOut(V v, D d, float* HWY_RESTRICT p) {
  if constexpr (kStream) {
    hn::Stream(v, d, p);
  } else {
    hn::StoreU(v, d, p);
  }
}

// Calls body(std::integral_constant<int, K>{}) for the K in [kFrom, kTo] that
// equals `count` and returns true; returns false when none does. One place
// turns a run-time tap count into the fixed loops' template argument.
template <int kFrom, int kTo, class Body>
HWY_INLINE bool WithFixedCount(int count, Body&& body) {
  if constexpr (kFrom > kTo) {
    return false;
  } else {
    if (count == kFrom) {
      body(std::integral_constant<int, kFrom>{});
      return true;
    }
    return WithFixedCount<kFrom + 1, kTo>(count, body);
  }
}

// The same sums for a tap count known at compile time: weights and offsets
// stay in registers for the whole row, so each multiply-add needs one load
// instead of a load plus a weight broadcast plus an offset fetch. Per lane the
// operation sequence is the one of TapsLoop, so results are bitwise equal.
template <int kTaps, bool kStream>
void FixedTapsLoop(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps,
                   float* HWY_RESTRICT dst, int n) {
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  const int lanes = static_cast<int>(hn::Lanes(d));
  V w[kTaps];
  const float* src[kTaps];
  for (int t = 0; t < kTaps; ++t) {
    w[t] = hn::Set(d, taps[t].weight);
    src[t] = base + taps[t].offset;
  }
  int i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    V a0 = hn::Mul(w[0], hn::LoadU(d, src[0] + i));
    V a1 = hn::Mul(w[0], hn::LoadU(d, src[0] + i + lanes));
    V a2 = hn::Mul(w[0], hn::LoadU(d, src[0] + i + 2 * lanes));
    V a3 = hn::Mul(w[0], hn::LoadU(d, src[0] + i + 3 * lanes));
    for (int t = 1; t < kTaps; ++t) {
      a0 = hn::MulAdd(w[t], hn::LoadU(d, src[t] + i), a0);
      a1 = hn::MulAdd(w[t], hn::LoadU(d, src[t] + i + lanes), a1);
      a2 = hn::MulAdd(w[t], hn::LoadU(d, src[t] + i + 2 * lanes), a2);
      a3 = hn::MulAdd(w[t], hn::LoadU(d, src[t] + i + 3 * lanes), a3);
    }
    StoreOut<kStream>(a0, d, dst + i);
    StoreOut<kStream>(a1, d, dst + i + lanes);
    StoreOut<kStream>(a2, d, dst + i + 2 * lanes);
    StoreOut<kStream>(a3, d, dst + i + 3 * lanes);
  }
  for (; i < n; i += lanes) {
    V acc = hn::Mul(w[0], hn::LoadU(d, src[0] + i));
    for (int t = 1; t < kTaps; ++t) acc = hn::MulAdd(w[t], hn::LoadU(d, src[t] + i), acc);
    StoreOut<kStream>(acc, d, dst + i);
  }
}

// Two output rows at once for taps on consecutive rows (offset t * step):
// row 1 reads rows 1..K, so every row but the first and last feeds both, and
// a pair costs K + 1 loads instead of 2K. Per lane each row still gets the
// tap-order sequence of TapsLoop, so results are bitwise equal.
template <int kTaps, bool kStream>
void FixedColumnPair(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps,
                     std::ptrdiff_t step, float* HWY_RESTRICT dst0, float* HWY_RESTRICT dst1,
                     int n) {
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  const int lanes = static_cast<int>(hn::Lanes(d));
  V w[kTaps];
  for (int t = 0; t < kTaps; ++t) w[t] = hn::Set(d, taps[t].weight);
  const float* src = base + taps[0].offset;
  int i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    V x0 = Pinned(hn::LoadU(d, src + i));
    V x1 = Pinned(hn::LoadU(d, src + i + lanes));
    V a0 = hn::Mul(w[0], x0);
    V a1 = hn::Mul(w[0], x1);
    V b0 = a0;  // overwritten at row 1: keeps the compiler quiet for kTaps == 1
    V b1 = a1;
    for (int t = 1; t <= kTaps; ++t) {
      x0 = Pinned(hn::LoadU(d, src + t * step + i));
      x1 = Pinned(hn::LoadU(d, src + t * step + i + lanes));
      if (t < kTaps) {
        a0 = hn::MulAdd(w[t], x0, a0);
        a1 = hn::MulAdd(w[t], x1, a1);
      }
      if (t == 1) {
        b0 = hn::Mul(w[0], x0);
        b1 = hn::Mul(w[0], x1);
      } else {
        b0 = hn::MulAdd(w[t - 1], x0, b0);
        b1 = hn::MulAdd(w[t - 1], x1, b1);
      }
    }
    StoreOut<kStream>(a0, d, dst0 + i);
    StoreOut<kStream>(a1, d, dst0 + i + lanes);
    StoreOut<kStream>(b0, d, dst1 + i);
    StoreOut<kStream>(b1, d, dst1 + i + lanes);
  }
  if (i < n) {  // at most one vector left: n is a multiple of kBlock
    FixedTapsLoop<kTaps, kStream>(base + i, taps, dst0 + i, n - i);
    FixedTapsLoop<kTaps, kStream>(base + step + i, taps, dst1 + i, n - i);
  }
}

// Two filters with the same tap offsets over the same rows (say laplacian and
// sharpen, both 3x3 crosses): each loaded vector feeds both sums. Per lane each
// filter gets the operation sequence of TapsLoop, so results are bitwise equal.
template <int kTaps, bool kStream>
void FixedSharedTaps(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT taps0,
                     const Tap* HWY_RESTRICT taps1, float* HWY_RESTRICT dst0,
                     float* HWY_RESTRICT dst1, int n) {
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  const int lanes = static_cast<int>(hn::Lanes(d));
  V w0[kTaps];
  V w1[kTaps];
  const float* src[kTaps];
  for (int t = 0; t < kTaps; ++t) {
    w0[t] = hn::Set(d, taps0[t].weight);
    w1[t] = hn::Set(d, taps1[t].weight);
    src[t] = base + taps0[t].offset;
  }
  int i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    V x0 = Pinned(hn::LoadU(d, src[0] + i));
    V x1 = Pinned(hn::LoadU(d, src[0] + i + lanes));
    V a0 = hn::Mul(w0[0], x0);
    V a1 = hn::Mul(w0[0], x1);
    V b0 = hn::Mul(w1[0], x0);
    V b1 = hn::Mul(w1[0], x1);
    for (int t = 1; t < kTaps; ++t) {
      x0 = Pinned(hn::LoadU(d, src[t] + i));
      x1 = Pinned(hn::LoadU(d, src[t] + i + lanes));
      a0 = hn::MulAdd(w0[t], x0, a0);
      a1 = hn::MulAdd(w0[t], x1, a1);
      b0 = hn::MulAdd(w1[t], x0, b0);
      b1 = hn::MulAdd(w1[t], x1, b1);
    }
    StoreOut<kStream>(a0, d, dst0 + i);
    StoreOut<kStream>(a1, d, dst0 + i + lanes);
    StoreOut<kStream>(b0, d, dst1 + i);
    StoreOut<kStream>(b1, d, dst1 + i + lanes);
  }
  if (i < n) {  // at most one vector left: n is a multiple of kBlock
    FixedTapsLoop<kTaps, kStream>(base + i, taps0, dst0 + i, n - i);
    FixedTapsLoop<kTaps, kStream>(base + i, taps1, dst1 + i, n - i);
  }
}

// Two tap lists where every offset of the second is also one of `all` (say the
// row factors [1 2 1] and [-1 0 1], or a 5-tap Gaussian inside a 7-tap box):
// the loads of `all` feed both sums. `sub_weights[t]` is the second list's
// weight at all[t], used where bit t of `mask` is set. The caller finishes a
// remainder shorter than two vectors.
template <int kTaps, bool kStream>
int FixedSubsetTaps(const float* HWY_RESTRICT base, const Tap* HWY_RESTRICT all,
                    const float* HWY_RESTRICT sub_weights, std::uint32_t mask,
                    float* HWY_RESTRICT dst_all, float* HWY_RESTRICT dst_sub, int n) {
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  const int lanes = static_cast<int>(hn::Lanes(d));
  V w[kTaps];
  V v[kTaps];
  const float* src[kTaps];
  for (int t = 0; t < kTaps; ++t) {
    w[t] = hn::Set(d, all[t].weight);
    v[t] = hn::Set(d, sub_weights[t]);
    src[t] = base + all[t].offset;
  }
  int first = 0;
  while (!(mask >> first & 1u)) ++first;
  int i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    V x0 = Pinned(hn::LoadU(d, src[0] + i));
    V x1 = Pinned(hn::LoadU(d, src[0] + i + lanes));
    V a0 = hn::Mul(w[0], x0);
    V a1 = hn::Mul(w[0], x1);
    V b0 = hn::Mul(v[0], x0);  // kept only when tap 0 is the second list's first
    V b1 = hn::Mul(v[0], x1);
    for (int t = 1; t < kTaps; ++t) {
      x0 = Pinned(hn::LoadU(d, src[t] + i));
      x1 = Pinned(hn::LoadU(d, src[t] + i + lanes));
      a0 = hn::MulAdd(w[t], x0, a0);
      a1 = hn::MulAdd(w[t], x1, a1);
      if (t == first) {
        b0 = hn::Mul(v[t], x0);
        b1 = hn::Mul(v[t], x1);
      } else if (t > first && (mask >> t & 1u)) {
        b0 = hn::MulAdd(v[t], x0, b0);
        b1 = hn::MulAdd(v[t], x1, b1);
      }
    }
    StoreOut<kStream>(a0, d, dst_all + i);
    StoreOut<kStream>(a1, d, dst_all + i + lanes);
    StoreOut<kStream>(b0, d, dst_sub + i);
    StoreOut<kStream>(b1, d, dst_sub + i + lanes);
  }
  return i;
}

}  // namespace conveyor::conv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif
