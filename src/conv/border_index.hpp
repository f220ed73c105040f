// Where an outside coordinate reads from, by border rule. Shared by the
// reference and the tile filler so the two extend images identically.
#pragma once

#include "conveyor/conv/kernel.hpp"

namespace conveyor::conv::detail {

// Maps any coordinate to [0, size) by the border rule; -1 means "zero".
inline int border_index(int i, int size, Border border) {
  if (i >= 0 && i < size) return i;
  switch (border) {
    case Border::Valid:
    case Border::Zero:
      return -1;
    case Border::Replicate:
      return i < 0 ? 0 : size - 1;
    case Border::Reflect: {  // REFLECT_101: ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ...
      if (size == 1) return 0;
      const int period = 2 * (size - 1);
      int m = i % period;
      if (m < 0) m += period;
      return m < size ? m : period - m;
    }
    case Border::Wrap: {
      const int m = i % size;
      return m < 0 ? m + size : m;
    }
  }
  return -1;
}

}  // namespace conveyor::conv::detail
