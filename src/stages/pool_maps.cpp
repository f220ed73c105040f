// Pooling, computed directly: a vertical pass reduces the window's rows of one
// output row into a padded row buffer (borders by the engine's border_index),
// a horizontal pass reduces every window start of that buffer in contiguous
// passes and keeps every stride-th one. Output rows are spread over threads
// with tbb::parallel_for; the row loops are compiled for AVX2 and the baseline.
//
// Why this and not OpenCV: bench/bench_pool.cpp times both on a 1280x720
// one-channel map, window at stride 2, border valid. The OpenCV candidate is
// cv::dilate (max) or cv::boxFilter (average, unnormalised sums) on a
// copyMakeBorder-padded copy (OpenCV has no `valid` or engine `wrap` of its
// own), then subsampling. It computes every position to keep one in four (and
// its float box sums were the slowest of all); this file computes only the
// kept rows, and only contiguous vector passes over them. Medians of 3 runs of 5
// repetitions each, one thread (range = min..max of the 3 run medians; the
// 2-core machine had a load average of 5-6.5 from other work, so the 2-thread
// figures, within the same ranges, show nothing about scaling):
//
//   720p map         ours ms               OpenCV ms             OpenCV / ours
//   f32 max 2x2      0.129 (0.126..0.148)  0.903 (0.745..1.067)   7.2 (5.0..8.3)
//   f32 max 3x3      0.214 (0.175..0.295)  0.856 (0.728..1.194)   4.1 (4.0..4.2)
//   f32 avg 2x2      0.138 (0.120..0.143)  2.099 (2.084..2.244)  15.7 (15.1..17.5)
//   f32 avg 3x3      0.191 (0.167..0.210)  2.099 (1.533..3.093)  10.0 (9.2..16.2)
//   u8  max 2x2      0.054 (0.041..0.060)  0.550 (0.409..0.568)  10.0 (9.1..10.4)
//   u8  max 3x3      0.066 (0.055..0.070)  0.491 (0.422..0.538)   7.7 (7.0..8.2)
//   u8  avg 2x2      0.204 (0.201..0.276)  1.091 (1.009..1.277)   5.0 (4.6..5.4)
//   u8  avg 3x3      0.271 (0.268..0.301)  1.280 (1.188..1.378)   4.6 (4.4..4.8)
//
// Beside the convolution it follows: the engine's bank of eight 3x3 detectors
// on the same 720p frame took 3.8 ms (f32, 2.4..3.8) and 3.2 ms (u8,
// 2.3..3.5) on one thread in the same runs. Pooling its eight f32 maps 2x2
// costs 8 x 0.13 = 1.0 ms, a quarter of the bank; one map, 3-4 %.
// An earlier direct version (one scalar loop per output cell) lost to dilate
// for max (u8 2x2, one run: 0.74 ms against 0.42 ms): the contiguous passes,
// not writing it by hand, are what win.
#include "pool_maps.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "../conv/border_index.hpp"

namespace conveyor::stages {
namespace {

using conv::Border;
using conv::detail::border_index;

// Where one map's windows sit: anchors (0 with `valid`, as the engine places a
// kernel) and the padded row buffer that holds every column a window visits.
struct Geometry {
  conv::MapSize out;
  int anchor_x = 0;
  int anchor_y = 0;
  int span = 0;     // columns the windows visit: (out.width - 1) * stride_x + size_x
  int reduced = 0;  // input columns the vertical pass reduces (from column 0)
  int buffer = 0;   // buffer columns: the windows' and the reduced ones
};

Geometry make_geometry(const PoolWindow& window, int width, int height) {
  Geometry g;
  g.out = pool_output_size(window, width, height);
  const bool valid = window.border == Border::Valid;
  g.anchor_x = valid ? 0 : (window.size_x - 1) / 2;
  g.anchor_y = valid ? 0 : (window.size_y - 1) / 2;
  g.span = (g.out.width - 1) * window.stride_x + window.size_x;
  g.reduced = valid ? g.span : width;
  // A stride longer than the window can end the last window before the input.
  g.buffer = std::max(g.span, g.anchor_x + g.reduced);
  return g;
}

// The row loops below are all the arithmetic. The build targets the x86-64
// baseline (SSE2), so they are compiled twice, for AVX2 and the baseline, and
// the loader picks one for the processor, as the engine (Highway) and OpenCV
// choose their instruction set at run time.
// Not under ThreadSanitizer: an ifunc resolver runs while the program is
// being relocated, before TSan's runtime is ready.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define CONVEYOR_POOL_DISPATCH __attribute__((target_clones("avx2", "default")))
#else
#define CONVEYOR_POOL_DISPATCH
#endif

// acc[i] = op(acc[i], row[i]); restrict lets the compiler vectorise without
// alias checks.
template <typename T, typename Acc>
CONVEYOR_POOL_DISPATCH void accumulate_row(Acc* __restrict acc, const T* __restrict row, int n,
                                           PoolOp op) {
  if (op == PoolOp::Max) {
    for (int i = 0; i < n; ++i) acc[i] = std::max(acc[i], static_cast<Acc>(row[i]));
  } else {
    for (int i = 0; i < n; ++i) acc[i] += static_cast<Acc>(row[i]);
  }
}

// acc[i] = op(a[i], b[i]): the first two rows in one pass.
template <typename T, typename Acc>
CONVEYOR_POOL_DISPATCH void combine_rows(Acc* __restrict acc, const T* __restrict a,
                                         const T* __restrict b, int n, PoolOp op) {
  if (op == PoolOp::Max) {
    for (int i = 0; i < n; ++i) acc[i] = static_cast<Acc>(std::max(a[i], b[i]));
  } else {
    for (int i = 0; i < n; ++i) acc[i] = static_cast<Acc>(a[i]) + static_cast<Acc>(b[i]);
  }
}

// acc = op over the rows (at least one).
template <typename T, typename Acc>
void reduce_rows(Acc* acc, const T* const* rows, int count, int n, PoolOp op) {
  if (count == 1) {
    for (int i = 0; i < n; ++i) acc[i] = static_cast<Acc>(rows[0][i]);
    return;
  }
  combine_rows(acc, rows[0], rows[1], n, op);
  for (int k = 2; k < count; ++k) accumulate_row(acc, rows[k], n, op);
}

// Reduces the window rows of output row oy into buffer[anchor_x * channels ...]
// and fills the buffer's outside columns by the border rule.
template <typename T, typename Acc>
void vertical_pass(const cv::Mat& input, const PoolWindow& window, const Geometry& g, int oy,
                   std::vector<Acc>& buffer) {
  const int channels = input.channels();
  const int n = g.reduced * channels;
  Acc* inside = buffer.data() + static_cast<std::size_t>(g.anchor_x) * channels;
  const T* rows[conv::kMaxKernelSize] = {};
  int count = 0;
  bool zero_row = false;
  for (int ky = 0; ky < window.size_y; ++ky) {
    const int y = border_index(oy * window.stride_y + ky - g.anchor_y, input.rows, window.border);
    if (y < 0) {
      zero_row = true;
    } else {
      rows[count++] = input.ptr<T>(y);
    }
  }
  reduce_rows(inside, rows, count, n, window.op);
  // The anchor row is always inside, so count >= 1; a zero row only
  // matters to the maximum (it adds nothing to a sum).
  if (zero_row && window.op == PoolOp::Max) {
    for (int i = 0; i < n; ++i) inside[i] = std::max(inside[i], Acc{0});
  }
  // Only the outside columns: left of the input, then right of it.
  const auto fill = [&](int p) {
    const int source = border_index(p - g.anchor_x, input.cols, window.border);
    for (int c = 0; c < channels; ++c) {
      buffer[static_cast<std::size_t>(p) * channels + c] =
          source < 0 ? Acc{0} : inside[static_cast<std::size_t>(source) * channels + c];
    }
  };
  for (int p = 0; p < g.anchor_x; ++p) fill(p);
  for (int p = g.anchor_x + g.reduced; p < g.span; ++p) fill(p);
}

// How a window's reduced value becomes an output cell.
struct Finish {
  PoolOp op = PoolOp::Max;
  float inverse_area = 1.0f;
  // floor(n / area) == (n * magic) >> 32 for every n < 2^32 / area (here
  // n <= 961 * 255 + 480): exact 8-bit rounding without a division per cell.
  std::uint64_t magic = 0;
  std::int32_t half = 0;
};

Finish make_finish(const PoolWindow& window) {
  const int area = window.size_x * window.size_y;
  return {window.op, 1.0f / static_cast<float>(area), (std::uint64_t{1} << 32) / area + 1,
          area / 2};
}

template <typename T, typename Acc>
T finish(Acc value, const Finish& f) {
  if constexpr (std::is_same_v<T, std::uint8_t> && std::is_same_v<Acc, std::int32_t>) {
    // Sums are >= 0, so adding half the area rounds halves up.
    return static_cast<T>((static_cast<std::uint64_t>(value + f.half) * f.magic) >> 32);
  } else if constexpr (std::is_same_v<T, float>) {
    return f.op == PoolOp::Max ? value : value * f.inverse_area;
  } else {
    return value;
  }
}

// Reduces every window start of the row buffer with contiguous passes (which
// vectorise), then keeps every stride-th start: at stride 2 this does twice
// the needed reductions, far cheaper than one strided scalar loop per cell.
template <typename T, typename Acc>
void horizontal_pass(const std::vector<Acc>& buffer, std::vector<Acc>& starts,
                     const PoolWindow& window, int out_width, int channels, const Finish& f,
                     T* out) {
  const int step = window.stride_x * channels;
  const int n = (out_width - 1) * step + channels;
  const Acc* reduced = buffer.data();
  if (window.size_x > 1) {
    combine_rows(starts.data(), buffer.data(), buffer.data() + channels, n, window.op);
    for (int kx = 2; kx < window.size_x; ++kx) {
      accumulate_row(starts.data(), buffer.data() + kx * channels, n, window.op);
    }
    reduced = starts.data();
  }
  if (step == 2) {  // the usual stride 2 on one channel: a constant stride vectorises
    for (int ox = 0; ox < out_width; ++ox) out[ox] = finish<T>(reduced[ox * 2], f);
    return;
  }
  if (channels == 1) {
    for (int ox = 0; ox < out_width; ++ox) out[ox] = finish<T>(reduced[ox * step], f);
    return;
  }
  for (int ox = 0; ox < out_width; ++ox) {
    for (int c = 0; c < channels; ++c) {
      out[ox * channels + c] = finish<T>(reduced[ox * step + c], f);
    }
  }
}

template <typename T, typename Acc>
void pool_rows(const cv::Mat& input, const PoolWindow& window, const Geometry& g, cv::Mat& out) {
  const int channels = input.channels();
  const std::size_t buffer_size = static_cast<std::size_t>(g.buffer) * channels;
  const Finish f = make_finish(window);
  // Chunks of at least ~64k input elements: smaller maps run on one thread.
  const long long row_work = static_cast<long long>(g.reduced) * channels * window.size_y;
  const int grain = static_cast<int>(std::max(1LL, 65536 / std::max(1LL, row_work)));
  tbb::parallel_for(
      tbb::blocked_range<int>(0, g.out.height, grain), [&](const tbb::blocked_range<int>& rows) {
        std::vector<Acc> buffer(buffer_size);
        std::vector<Acc> starts(buffer_size);
        for (int oy = rows.begin(); oy < rows.end(); ++oy) {
          vertical_pass<T>(input, window, g, oy, buffer);
          horizontal_pass<T>(buffer, starts, window, g.out.width, channels, f, out.ptr<T>(oy));
        }
      });
}

void check(const cv::Mat& input, const PoolWindow& window) {
  const auto size_ok = [](int s) { return s >= 1 && s <= conv::kMaxKernelSize; };
  if (!size_ok(window.size_x) || !size_ok(window.size_y)) {
    throw std::invalid_argument("pool: window size " + std::to_string(window.size_x) + "x" +
                                std::to_string(window.size_y) + "; expected 1.." +
                                std::to_string(conv::kMaxKernelSize) + " on each side");
  }
  if (window.stride_x < 1 || window.stride_y < 1) {
    throw std::invalid_argument("pool: stride " + std::to_string(window.stride_x) + "x" +
                                std::to_string(window.stride_y) + "; expected at least 1");
  }
  const int depth = input.depth();
  if ((depth != CV_8U && depth != CV_32F) || input.channels() > 4 || input.dims != 2) {
    throw std::invalid_argument("pool: unsupported map type " + cv::typeToString(input.type()) +
                                "; expected 8-bit or 32-bit float with 1 to 4 channels");
  }
}

}  // namespace

conv::MapSize pool_output_size(const PoolWindow& window, int width, int height) {
  conv::Filter filter;
  filter.kernel.width = window.size_x;
  filter.kernel.height = window.size_y;
  filter.stride_x = window.stride_x;
  filter.stride_y = window.stride_y;
  filter.border = window.border;
  return conv::output_size(filter, width, height);
}

cv::Mat pool_map(const cv::Mat& input, const PoolWindow& window) {
  check(input, window);
  const Geometry g = make_geometry(window, input.cols, input.rows);
  if (g.out.width <= 0 || g.out.height <= 0) {
    throw std::invalid_argument(
        "pool: a " + std::to_string(input.cols) + "x" + std::to_string(input.rows) +
        " map pooled by a " + std::to_string(window.size_x) + "x" + std::to_string(window.size_y) +
        " window (border " + conv::to_string(window.border) +
        ") is empty; expected a map at least as large as the window");
  }
  cv::Mat out(g.out.height, g.out.width, input.type());
  if (input.depth() == CV_8U) {
    if (window.op == PoolOp::Max) {
      pool_rows<std::uint8_t, std::uint8_t>(input, window, g, out);
    } else {
      pool_rows<std::uint8_t, std::int32_t>(input, window, g, out);
    }
  } else {
    pool_rows<float, float>(input, window, g, out);
  }
  return out;
}

}  // namespace conveyor::stages
