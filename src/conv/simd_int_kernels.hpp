// Exact integer inner loops for integer kernels on u8 input. Pixels are
// widened to int16 once; taps add, subtract or multiply in 16-bit lanes (twice
// as many as float lanes). Lanes wrap modulo 2^16, so only the final value
// must fit in int16: the plan guarantees sum|w| * 255 <= 32767. Results are
// exact integers, converted to float at the end; like the float loops, rows are
// handled in whole kBlock blocks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace conveyor::conv::detail {

struct IntTap {
  std::ptrdiff_t offset;  // element offset from the base pointer
  std::int16_t weight;
};

// A kernel's taps over one int16 buffer, split by weight so that +1 and -1
// taps cost an add or subtract instead of a multiply.
struct IntKernelRef {
  const std::int16_t* base = nullptr;
  const std::ptrdiff_t* plus = nullptr;  // offsets of +1 taps
  int plus_count = 0;
  const std::ptrdiff_t* minus = nullptr;  // offsets of -1 taps
  int minus_count = 0;
  const IntTap* other = nullptr;  // every other non-zero weight
  int other_count = 0;
};

// dst[i] = float(sum of the kernel's taps at i), for i in [0, n), n a multiple
// of kBlock. With `stream`, vector-aligned rows take non-temporal stores.
void integer_taps(const IntKernelRef& kernel, float* dst, int n, bool stream = false);

// dst[i] = the reduction (CombineOp `op`) of every kernel's value at i, with
// the same float operations as combine_rows, without writing the maps.
void integer_combined(const IntKernelRef* kernels, int count, int op, const float* weights,
                      float* dst, int n);

// dst[i] = src[i * step] for i in [0, n): u8 -> int16 with deinterleaving.
void widen_u8_i16(const std::uint8_t* src, int step, std::int16_t* dst, int n);

}  // namespace conveyor::conv::detail
