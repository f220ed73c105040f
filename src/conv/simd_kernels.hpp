// The vector inner loops of the engine, compiled for several instruction sets
// (SSE4, AVX2, AVX-512 ...) and chosen at run time by Highway. Every loop works
// on whole blocks of kBlock floats: callers pad their buffers, so no scalar tail
// exists and every pixel gets exactly the same sequence of operations, whatever
// its position, tile or thread. That is what makes results bitwise reproducible.
#pragma once

#include <cstddef>
#include <cstdint>

namespace conveyor::conv::detail {

// Widest vector we may meet (AVX-512: 16 floats). Row lengths handed to the
// loops below are multiples of it.
inline constexpr int kBlock = 16;

inline int round_up_block(int n) {
  return (n + kBlock - 1) / kBlock * kBlock;
}

struct Tap {
  std::ptrdiff_t offset;  // element offset from the base pointer
  float weight;
};

// dst[i] = sum_t taps[t].weight * base[i + taps[t].offset], for i in [0, n),
// accumulated in tap order (first tap multiplied, the rest fused multiply-add).
// n is a multiple of kBlock; with no taps the result is zero. With `stream`,
// vector-aligned destinations are written with non-temporal stores (call
// flush_streams() before another thread reads them).
void weighted_taps(const float* base, const Tap* taps, int tap_count, float* dst, int n,
                   bool stream = false);
// weighted_taps of `all` into dst_all and of `sub` into dst_sub, where every
// offset of `sub` is one of `all` (at most 9 taps in `all` for the shared
// loop): sub_weights[t] is sub's weight at all[t], bit t of `mask` says sub has
// it. Bitwise equal to two weighted_taps calls.
void subset_taps(const float* base, const Tap* all, int all_count, const Tap* sub, int sub_count,
                 const float* sub_weights, std::uint32_t mask, float* dst_all, float* dst_sub,
                 int n);
void flush_streams();

// Taps mirrored around a centre, folded (see mirror_taps-inl.h): terms[0] is
// the centre (distance 0) when it has a weight, then the pairs at centre ± d
// in increasing d. A 31-tap row has at most 16 terms. Passes of up to
// kMaxFoldedTerms terms (15 or 16 taps) run alone in loops with the count
// fixed at compile time, and up to kMaxSharedFoldedTerms with a partner; the
// planner folds no others, as the run-time loop is slower than plain taps.
inline constexpr int kMaxMirrorTerms = 16;
inline constexpr int kMaxFoldedTerms = 8;
inline constexpr int kMaxSharedFoldedTerms = 4;
struct MirrorTerm {
  std::ptrdiff_t distance;
  float weight;
};
struct MirrorTerms {
  std::ptrdiff_t center = 0;  // element offset of the centre from the base pointer
  const MirrorTerm* terms = nullptr;
  int count = 0;  // 1..kMaxMirrorTerms
};
// dst[i] = first term's weight * its value, then fused multiply-add of the
// others in order, where a pair's value is base[i+c-d] + base[i+c+d] and the
// centre's is base[i+c]. n is a multiple of kBlock.
void mirror_taps(const float* base, const MirrorTerms& terms, float* dst, int n);
// mirror_taps of `all` into dst_all and of `sub` into dst_sub, sharing the
// loads and pair sums: sub has all's centre and its terms are all's first
// sub.count terms (their weights differ). Bitwise equal to two mirror_taps calls.
void mirror_subset_taps(const float* base, const MirrorTerms& all, const MirrorTerms& sub,
                        float* dst_all, float* dst_sub, int n);

// Two rows of weighted_taps: dst0 over `base`, dst1 over `base + step`, for
// taps on consecutive rows (taps[t].offset == taps[0].offset + t * step), which
// lets the rows share their loads. Bitwise equal to two weighted_taps calls.
void column_pair(const float* base, const Tap* taps, int tap_count, std::ptrdiff_t step,
                 float* dst0, float* dst1, int n, bool stream = false);

// A direct filter's taps for two output rows at once (see row_pair): one
// offset from the first row's base, loaded once, feeding the first row with
// w0, the second (one input row further down) with w1, or both.
enum class PairRows : std::uint8_t { First, Second, Both };
struct PairTap {
  std::ptrdiff_t offset;
  float w0;
  float w1;
};
// Consecutive taps [begin, end) that feed the same rows.
struct PairRun {
  PairRows rows;
  int begin;
  int end;
};

// Two rows of weighted_taps of a direct filter: dst0 for the taps as given,
// dst1 for the same taps one input row further down. `taps` merges both rows'
// taps in offset order, so each row gets its taps in the order weighted_taps
// uses: bitwise equal to two weighted_taps calls.
void row_pair(const float* base, const PairTap* taps, const PairRun* runs, int run_count,
              float* dst0, float* dst1, int n, bool stream = false);

// weighted_taps of two tap lists with the same offsets (their weights differ)
// over the same base, sharing the loads. Bitwise equal to two weighted_taps calls.
void shared_taps(const float* base, const Tap* taps0, const Tap* taps1, int tap_count, float* dst0,
                 float* dst1, int n, bool stream = false);

// dst[i] = reduction over inputs[k][i] (see CombineOp; op is its integer value).
// `weights` is used by the weighted sum (nullptr: all ones). n multiple of kBlock.
void combine_rows(const float* const* inputs, int count, int op, const float* weights, float* dst,
                  int n);

// dst[i] = float(src[i * step]) for i in [0, n): u8 -> f32 with deinterleaving.
void widen_u8(const unsigned char* src, int step, float* dst, int n);

// dst[i] = src[i] for i in [0, n), with vector moves (any n; src need not be
// 4-byte aligned).
void copy_floats(const float* src, float* dst, int n);

// The instruction set the dispatcher picked, e.g. "AVX2".
const char* simd_target_name();

}  // namespace conveyor::conv::detail
