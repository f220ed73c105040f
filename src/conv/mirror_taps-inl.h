// Row passes whose taps mirror around a centre (Gaussian, box, binomial rows:
// the same weight at centre - d and centre + d) run folded: each mirrored pair
// of inputs is added first and multiplied once, so a 7-tap box needs 4
// multiply-adds and 3 additions instead of 7 multiply-adds, and needs half the
// weight registers. Per lane the sequence is fixed by the terms alone (the
// centre, then the pairs from the inside out; the first term multiplied, the
// rest fused multiply-add), so a pass gives the same bits alone, shared with a
// partner, in any tile. Highway re-includes this once per target, hence the
// toggle guard.
#if defined(CONVEYOR_CONV_MIRROR_TAPS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef CONVEYOR_CONV_MIRROR_TAPS_INL_H_
#undef CONVEYOR_CONV_MIRROR_TAPS_INL_H_
#else
#define CONVEYOR_CONV_MIRROR_TAPS_INL_H_
#endif

#include <hwy/highway.h>

#include <cstddef>
#include <type_traits>

#include "conv/simd_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace conveyor::conv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The folded sums of `all` over one row and, when sub.count > 0, of a partner
// `sub` whose terms are all's first sub.count terms, about the same centre.
// With kTerms > 0 the term count, the partner's count and whether term 0 is
// the centre are fixed at compile time, so weights stay in registers and the
// loop has no branch; kTerms == 0 reads them at run time.
template <int kTerms, int kSubTerms, bool kCentre>
void MirrorLoop(const float* HWY_RESTRICT base, const MirrorTerms& all, const MirrorTerms& sub,
                float* HWY_RESTRICT dst_all, float* HWY_RESTRICT dst_sub, int n) {
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  const int lanes = static_cast<int>(hn::Lanes(d));
  constexpr int kCapacity = kTerms > 0 ? kTerms : kMaxMirrorTerms;
  const int count = kTerms > 0 ? kTerms : all.count;
  const int subs = kTerms > 0 ? kSubTerms : sub.count;
  const bool centre = kTerms > 0 ? kCentre : all.terms[0].distance == 0;
  V w[kCapacity];
  V v[kCapacity];
  const float* low[kCapacity];
  const float* high[kCapacity];
  for (int t = 0; t < count; ++t) {
    w[t] = hn::Set(d, all.terms[t].weight);
    v[t] = hn::Set(d, t < subs ? sub.terms[t].weight : 0.0f);
    low[t] = base + all.center - all.terms[t].distance;
    high[t] = base + all.center + all.terms[t].distance;
  }
  // The centre's value is one load; a pair's is the sum of its two inputs.
  auto term = [&](int t, int i) {
    if (t == 0 && centre) return hn::LoadU(d, low[0] + i);
    return hn::Add(hn::LoadU(d, low[t] + i), hn::LoadU(d, high[t] + i));
  };
  auto add_term = [&](int t, V s, V& a, V& b) {
    a = t == 0 ? hn::Mul(w[0], s) : hn::MulAdd(w[t], s, a);
    if (t < subs) b = t == 0 ? hn::Mul(v[0], s) : hn::MulAdd(v[t], s, b);
  };
  int i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    V a0 = hn::Zero(d), a1 = hn::Zero(d), b0 = hn::Zero(d), b1 = hn::Zero(d);
    for (int t = 0; t < count; ++t) {
      add_term(t, term(t, i), a0, b0);
      add_term(t, term(t, i + lanes), a1, b1);
    }
    hn::StoreU(a0, d, dst_all + i);
    hn::StoreU(a1, d, dst_all + i + lanes);
    if (subs > 0) {
      hn::StoreU(b0, d, dst_sub + i);
      hn::StoreU(b1, d, dst_sub + i + lanes);
    }
  }
  for (; i < n; i += lanes) {
    V a = hn::Zero(d), b = hn::Zero(d);
    for (int t = 0; t < count; ++t) add_term(t, term(t, i), a, b);
    hn::StoreU(a, d, dst_all + i);
    if (subs > 0) hn::StoreU(b, d, dst_sub + i);
  }
}

// The planner folds only passes that have a fixed loop here (see
// kMaxFoldedTerms); the run-time loop keeps any other call correct.
HWY_INLINE void AnyMirrorLoop(const float* HWY_RESTRICT base, const MirrorTerms& all,
                              const MirrorTerms& sub, float* HWY_RESTRICT dst_all,
                              float* HWY_RESTRICT dst_sub, int n) {
  const bool centre = all.terms[0].distance == 0;
  auto run = [&](auto terms, auto subs) {
    constexpr int kTerms = decltype(terms)::value;
    constexpr int kSub = decltype(subs)::value;
    if (centre) {
      MirrorLoop<kTerms, kSub, true>(base, all, sub, dst_all, dst_sub, n);
    } else {
      MirrorLoop<kTerms, kSub, false>(base, all, sub, dst_all, dst_sub, n);
    }
  };
  bool fixed = false;
  if (sub.count == 0) {
    fixed = WithFixedCount<1, kMaxFoldedTerms>(
        all.count, [&](auto terms) { run(terms, std::integral_constant<int, 0>{}); });
  } else {
    fixed = WithFixedCount<1, kMaxSharedFoldedTerms>(all.count, [&](auto terms) {
      WithFixedCount<1, decltype(terms)::value>(sub.count, [&](auto subs) { run(terms, subs); });
    });
  }
  if (!fixed) MirrorLoop<0, 0, false>(base, all, sub, dst_all, dst_sub, n);
}

}  // namespace conveyor::conv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif
