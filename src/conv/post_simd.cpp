// Highway's foreach_target re-includes this file once per instruction set.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "conv/post_simd.cpp"
#include "conv/post_simd.hpp"

#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace conveyor::conv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Negatives and NaN to 0 (Highway's Max leaves NaN to the target).
template <class D>
HWY_INLINE hn::Vec<D> ZeroUnlessPositive(D d, hn::Vec<D> v) {
  return hn::IfThenElseZero(hn::Gt(v, hn::Zero(d)), v);
}

// The value before threshold and conversion: v, v * a + 0 (OpenCV's
// convertTo, which turns -0 into +0), |v| * a, v * a cut to [0, 255], or
// v * a + b fused (the engine's MulAdd, as in the combine steps).
template <PostValue kValue, class D>
HWY_INLINE hn::Vec<D> Value(D d, hn::Vec<D> v, hn::Vec<D> a, hn::Vec<D> b) {
  if constexpr (kValue == PostValue::Copy) return v;
  if constexpr (kValue == PostValue::Scale) return hn::Add(hn::Mul(v, a), hn::Zero(d));
  if constexpr (kValue == PostValue::AbsScale) return hn::Mul(hn::Abs(v), a);
  if constexpr (kValue == PostValue::Clamp)
    return hn::Min(ZeroUnlessPositive(d, hn::Mul(v, a)), hn::Set(d, 255.0f));
  return hn::MulAdd(v, a, b);
}

template <PostValue kValue, bool kU8, class Out>
void PostLoop(const float* HWY_RESTRICT in, const PostRow& row, Out* HWY_RESTRICT out, int n) {
  const hn::ScalableTag<float> d;
  const hn::Rebind<std::uint8_t, decltype(d)> du8;
  const int lanes = static_cast<int>(hn::Lanes(d));
  const auto a = hn::Set(d, row.a);
  const auto b = hn::Set(d, row.b);
  const auto t = hn::Set(d, row.t);
  const auto full = hn::Set(d, 255.0f);
  for (int i = 0; i < n; i += lanes) {
    auto v = Value<kValue>(d, hn::LoadU(d, in + i), a, b);
    if (row.threshold) v = hn::IfThenElseZero(hn::Gt(v, t), full);
    if constexpr (kU8) {
      v = hn::Min(ZeroUnlessPositive(d, v), full);
      // In [0, 255] already: the low byte of each lane is the value.
      const hn::RebindToUnsigned<decltype(d)> du32;
      hn::StoreU(hn::U8FromU32(hn::BitCast(du32, hn::NearestInt(v))), du8, out + i);
    } else {
      hn::StoreU(v, d, out + i);
    }
  }
}

template <bool kU8, class Out>
void PostRows(const float* HWY_RESTRICT in, const PostRow& row, Out* HWY_RESTRICT out, int n) {
  switch (row.value) {
    case PostValue::Copy:
      return PostLoop<PostValue::Copy, kU8>(in, row, out, n);
    case PostValue::Scale:
      return PostLoop<PostValue::Scale, kU8>(in, row, out, n);
    case PostValue::AbsScale:
      return PostLoop<PostValue::AbsScale, kU8>(in, row, out, n);
    case PostValue::Clamp:
      return PostLoop<PostValue::Clamp, kU8>(in, row, out, n);
    case PostValue::Fused:
      return PostLoop<PostValue::Fused, kU8>(in, row, out, n);
  }
}

void PostRowU8(const float* HWY_RESTRICT in, const PostRow& row, unsigned char* HWY_RESTRICT out,
               int n) {
  PostRows<true>(in, row, out, n);
}

void PostRowF32(const float* HWY_RESTRICT in, const PostRow& row, float* HWY_RESTRICT out, int n) {
  PostRows<false>(in, row, out, n);
}

void MinMax(const float* HWY_RESTRICT in, int n, float* HWY_RESTRICT lo_hi) {
  const hn::ScalableTag<float> d;
  const int lanes = static_cast<int>(hn::Lanes(d));
  const auto inf = hn::Inf(d);
  const auto minus_inf = hn::Neg(inf);
  auto lo = inf;
  auto hi = minus_inf;
  for (int i = 0; i < n; i += lanes) {
    const auto v = hn::LoadU(d, in + i);
    const auto number = hn::Eq(v, v);  // false for NaN
    lo = hn::Min(lo, hn::IfThenElse(number, v, inf));
    hi = hn::Max(hi, hn::IfThenElse(number, v, minus_inf));
  }
  lo_hi[0] = hn::GetLane(hn::MinOfLanes(d, lo));
  lo_hi[1] = hn::GetLane(hn::MaxOfLanes(d, hi));
}

}  // namespace conveyor::conv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace conveyor::conv::detail {

HWY_EXPORT(PostRowU8);
HWY_EXPORT(PostRowF32);
HWY_EXPORT(MinMax);

void post_row_u8(const float* in, const PostRow& row, unsigned char* out, int n) {
  HWY_DYNAMIC_DISPATCH(PostRowU8)(in, row, out, n);
}

void post_row_f32(const float* in, const PostRow& row, float* out, int n) {
  HWY_DYNAMIC_DISPATCH(PostRowF32)(in, row, out, n);
}

void min_max(const float* in, int n, float& lo, float& hi) {
  float lo_hi[2];
  HWY_DYNAMIC_DISPATCH(MinMax)(in, n, lo_hi);
  lo = lo_hi[0];
  hi = lo_hi[1];
}

}  // namespace conveyor::conv::detail
#endif
