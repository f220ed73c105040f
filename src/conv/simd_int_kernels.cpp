// Highway's foreach_target re-includes this file once per instruction set.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "conv/simd_int_kernels.cpp"
#include "conv/simd_int_kernels.hpp"

#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "conv/combine_step-inl.h"
#include "conv/simd_kernels.hpp"
#include "conveyor/conv/combine.hpp"

HWY_BEFORE_NAMESPACE();
namespace conveyor::conv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// At most 16 int16 lanes, so one vector never spans more than one kBlock. Its
// values become kParts float vectors (two halves; one lane on the scalar target).
using D16 = hn::CappedTag<std::int16_t, 16>;
#if HWY_TARGET == HWY_SCALAR
constexpr int kParts = 1;
using DF = hn::Rebind<float, D16>;
HWY_INLINE hn::Vec<DF> PartFloats(hn::Vec<D16> v, int /*part*/) {
  return hn::ConvertTo(DF(), hn::PromoteTo(hn::Rebind<std::int32_t, D16>(), v));
}
#else
constexpr int kParts = 2;
using DHalf = hn::Half<D16>;
using DF = hn::Rebind<float, DHalf>;
HWY_INLINE hn::Vec<DF> PartFloats(hn::Vec<D16> v, int part) {
  const hn::Rebind<std::int32_t, DHalf> d32;
  const auto half = part == 0 ? hn::LowerHalf(DHalf(), v) : hn::UpperHalf(DHalf(), v);
  return hn::ConvertTo(DF(), hn::PromoteTo(d32, half));
}
#endif

// kUnroll consecutive vectors of a kernel's values from position i: each tap's
// offset is read once for all of them.
template <int kUnroll>
HWY_INLINE void KernelAt(const IntKernelRef& k, int i, hn::Vec<D16>* HWY_RESTRICT acc) {
  const D16 d;
  const int lanes = static_cast<int>(hn::Lanes(d));
  const std::int16_t* HWY_RESTRICT base = k.base + i;
  for (int u = 0; u < kUnroll; ++u) acc[u] = hn::Zero(d);
  for (int t = 0; t < k.plus_count; ++t) {
    const std::int16_t* p = base + k.plus[t];
    for (int u = 0; u < kUnroll; ++u) acc[u] = hn::Add(acc[u], hn::LoadU(d, p + u * lanes));
  }
  for (int t = 0; t < k.minus_count; ++t) {
    const std::int16_t* p = base + k.minus[t];
    for (int u = 0; u < kUnroll; ++u) acc[u] = hn::Sub(acc[u], hn::LoadU(d, p + u * lanes));
  }
  for (int t = 0; t < k.other_count; ++t) {
    const std::int16_t* p = base + k.other[t].offset;
    const auto w = hn::Set(d, k.other[t].weight);
    for (int u = 0; u < kUnroll; ++u) {
      acc[u] = hn::Add(acc[u], hn::Mul(w, hn::LoadU(d, p + u * lanes)));
    }
  }
}

template <bool kStream, int kUnroll>
HWY_INLINE void TapsStep(const IntKernelRef& k, int i, float* HWY_RESTRICT dst) {
  const int lanes = static_cast<int>(hn::Lanes(D16()));
  const int part_lanes = static_cast<int>(hn::Lanes(DF()));
  hn::Vec<D16> v[kUnroll];
  KernelAt<kUnroll>(k, i, v);
  for (int u = 0; u < kUnroll; ++u) {
    for (int part = 0; part < kParts; ++part) {
      float* out = dst + i + u * lanes + part * part_lanes;
      if constexpr (kStream) {
        hn::Stream(PartFloats(v[u], part), DF(), out);
      } else {
        hn::StoreU(PartFloats(v[u], part), DF(), out);
      }
    }
  }
}

template <bool kStream>
void TapsLoop(const IntKernelRef& k, float* HWY_RESTRICT dst, int n) {
  const int lanes = static_cast<int>(hn::Lanes(D16()));
  int i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) TapsStep<kStream, 4>(k, i, dst);
  for (; i < n; i += lanes) TapsStep<kStream, 1>(k, i, dst);
}

void IntegerTaps(const IntKernelRef& k, float* HWY_RESTRICT dst, int n, bool stream) {
  const std::size_t vector_bytes = hn::Lanes(DF()) * sizeof(float);
  if (stream && reinterpret_cast<std::uintptr_t>(dst) % vector_bytes == 0) {
    TapsLoop<true>(k, dst, n);
  } else {
    TapsLoop<false>(k, dst, n);
  }
}

// Every kernel's integer vectors are folded into the reduction in registers.
template <CombineOp kOp, int kUnroll>
HWY_INLINE void CombinedStep(const IntKernelRef* HWY_RESTRICT kernels, int count,
                             const float* HWY_RESTRICT weights, int i, float* HWY_RESTRICT dst) {
  const DF df;
  const int lanes = static_cast<int>(hn::Lanes(D16()));
  const int part_lanes = static_cast<int>(hn::Lanes(df));
  hn::Vec<DF> acc[kUnroll * kParts];
  for (auto& a : acc) a = CombineStart<kOp>(df);
  for (int k = 0; k < count; ++k) {
    hn::Vec<D16> v[kUnroll];
    KernelAt<kUnroll>(kernels[k], i, v);
    for (int u = 0; u < kUnroll; ++u) {
      for (int part = 0; part < kParts; ++part) {
        auto& a = acc[u * kParts + part];
        a = CombineStep<kOp>(df, a, PartFloats(v[u], part), weights, k);
      }
    }
  }
  for (int u = 0; u < kUnroll; ++u) {
    for (int part = 0; part < kParts; ++part) {
      hn::StoreU(CombineFinish<kOp>(acc[u * kParts + part]), df,
                 dst + i + u * lanes + part * part_lanes);
    }
  }
}

template <CombineOp kOp>
void CombinedLoop(const IntKernelRef* HWY_RESTRICT kernels, int count,
                  const float* HWY_RESTRICT weights, float* HWY_RESTRICT dst, int n) {
  const int lanes = static_cast<int>(hn::Lanes(D16()));
  int i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) CombinedStep<kOp, 4>(kernels, count, weights, i, dst);
  for (; i < n; i += lanes) CombinedStep<kOp, 1>(kernels, count, weights, i, dst);
}

void IntegerCombined(const IntKernelRef* HWY_RESTRICT kernels, int count, int op,
                     const float* HWY_RESTRICT weights, float* HWY_RESTRICT dst, int n) {
  switch (static_cast<CombineOp>(op)) {
    case CombineOp::Magnitude:
      return CombinedLoop<CombineOp::Magnitude>(kernels, count, weights, dst, n);
    case CombineOp::SumAbs:
      return CombinedLoop<CombineOp::SumAbs>(kernels, count, weights, dst, n);
    case CombineOp::Max:
      return CombinedLoop<CombineOp::Max>(kernels, count, weights, dst, n);
    case CombineOp::MaxAbs:
      return CombinedLoop<CombineOp::MaxAbs>(kernels, count, weights, dst, n);
    case CombineOp::WeightedSum:
      return CombinedLoop<CombineOp::WeightedSum>(kernels, count, weights, dst, n);
    case CombineOp::Stack:
      return;
  }
}

void WidenU8(const std::uint8_t* HWY_RESTRICT src, int step, std::int16_t* HWY_RESTRICT dst,
             int n) {
  const D16 d;
  const hn::Rebind<std::uint8_t, D16> d8;
  const int lanes = static_cast<int>(hn::Lanes(d));
  int i = 0;
  if (step == 1) {
    for (; i + lanes <= n; i += lanes)
      hn::StoreU(hn::PromoteTo(d, hn::LoadU(d8, src + i)), d, dst + i);
  }
  for (; i < n; ++i) dst[i] = src[static_cast<std::ptrdiff_t>(i) * step];
}

}  // namespace conveyor::conv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace conveyor::conv::detail {

HWY_EXPORT(IntegerTaps);
HWY_EXPORT(IntegerCombined);
HWY_EXPORT(WidenU8);

void integer_taps(const IntKernelRef& kernel, float* dst, int n, bool stream) {
  HWY_DYNAMIC_DISPATCH(IntegerTaps)(kernel, dst, n, stream);
}

void integer_combined(const IntKernelRef* kernels, int count, int op, const float* weights,
                      float* dst, int n) {
  HWY_DYNAMIC_DISPATCH(IntegerCombined)(kernels, count, op, weights, dst, n);
}

void widen_u8_i16(const std::uint8_t* src, int step, std::int16_t* dst, int n) {
  HWY_DYNAMIC_DISPATCH(WidenU8)(src, step, dst, n);
}

}  // namespace conveyor::conv::detail
#endif
