// One reduction step of every CombineOp, shared by the float combine loop and
// the fused integer loop so that both apply exactly the same operations per
// lane (which keeps run_combined bitwise equal to run + combine_maps).
// Highway re-includes this once per target, hence the toggle guard.
#if defined(CONVEYOR_CONV_COMBINE_STEP_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef CONVEYOR_CONV_COMBINE_STEP_INL_H_
#undef CONVEYOR_CONV_COMBINE_STEP_INL_H_
#else
#define CONVEYOR_CONV_COMBINE_STEP_INL_H_
#endif

#include <hwy/highway.h>

#include <limits>

#include "conveyor/conv/combine.hpp"

HWY_BEFORE_NAMESPACE();
namespace conveyor::conv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <CombineOp kOp, class D>
HWY_INLINE hn::Vec<D> CombineStart(D d) {
  return kOp == CombineOp::Max ? hn::Set(d, -std::numeric_limits<float>::infinity()) : hn::Zero(d);
}

// Folds map k's value `v` into `acc`; `weights` is for the weighted sum (nullptr:
// all ones). Products are fused with their sum explicitly (one rounding), so no
// compiler contraction choice can make two callers differ.
template <CombineOp kOp, class D>
HWY_INLINE hn::Vec<D> CombineStep(D d, hn::Vec<D> acc, hn::Vec<D> v,
                                  const float* HWY_RESTRICT weights, int k) {
  if constexpr (kOp == CombineOp::Magnitude) {
    return hn::MulAdd(v, v, acc);
  } else if constexpr (kOp == CombineOp::SumAbs) {
    return hn::Add(acc, hn::Abs(v));
  } else if constexpr (kOp == CombineOp::Max) {
    return hn::Max(acc, v);
  } else if constexpr (kOp == CombineOp::MaxAbs) {
    return hn::Max(acc, hn::Abs(v));
  } else {
    return weights ? hn::MulAdd(hn::Set(d, weights[k]), v, acc) : hn::Add(acc, v);
  }
}

template <CombineOp kOp, class V>
HWY_INLINE V CombineFinish(V acc) {
  if constexpr (kOp == CombineOp::Magnitude) return hn::Sqrt(acc);
  return acc;
}

}  // namespace conveyor::conv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif
