// Running a planned bank: tiles spread over threads; per tile the input is
// copied once into a padded buffer (borders handled only there), shared row
// passes run, then every filter of the bank reads the hot buffers.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <sstream>

#include "conv/bank_layout.hpp"
#include "conveyor/conv/errors.hpp"

namespace conveyor::conv {
namespace {

using detail::kBlock;

template <typename T = float>
hwy::AlignedFreeUniquePtr<T[]> zeroed(std::size_t count) {
  auto buffer = hwy::AllocateAligned<T>(count);
  std::fill_n(buffer.get(), count, T{0});
  return buffer;
}

// Which outputs of a filter have their reference point (ox * stride) in [x0, x1).
struct OutputSpan {
  int first = 0;
  int end = 0;  // one past the last
};
OutputSpan span_in_tile(int x0, int x1, int stride, int out_extent) {
  return {x0 / stride, std::min(out_extent, (x1 + stride - 1) / stride)};
}

}  // namespace

detail::TileScratch& BankPlan::Impl::local_scratch() const {
  bool exists = false;
  detail::TileScratch& s = scratch.local(exists);
  if (!exists) {
    const auto padded = static_cast<std::size_t>(padded_stride) * padded_rows;
    const auto rows = static_cast<std::size_t>(row_stride) * padded_rows;
    s.padded.clear();
    s.padded_int.clear();
    s.padded_origin.clear();
    s.padded_int_origin.clear();
    s.row_out.clear();
    s.map_rows.clear();
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const int lead = detail::padded_lead(groups[g]);
      if (integer_path) {
        s.padded_int.push_back(zeroed<std::int16_t>(padded + detail::kBlock));
        s.padded_int_origin.push_back(s.padded_int.back().get() + lead);
      } else {
        s.padded.push_back(zeroed(padded + detail::kBlock));
        s.padded_origin.push_back(s.padded.back().get() + lead);
      }
    }
    for (std::size_t r = 0; r < row_passes.size(); ++r) s.row_out.push_back(zeroed(rows));
    for (std::size_t m = 0; m < planned.size(); ++m) {
      s.map_rows.push_back(zeroed(static_cast<std::size_t>(row_stride)));
    }
    s.tail = zeroed(2 * static_cast<std::size_t>(row_stride));  // room for a row pair
  }
  return s;
}

void BankPlan::Impl::run_tile(const ImageView& input, int tile, std::vector<FeatureMap>* outputs,
                              const Combine* combine, FeatureMap* combined) const {
  detail::TileScratch& s = local_scratch();
  const int x0 = (tile % tiles_x) * tile_width;
  const int y0 = (tile / tiles_x) * tile_height;
  const int width = std::min(tile_width, shape.width - x0);
  const int height = std::min(tile_height, shape.height - y0);
  const int channels = shape.channels;

  for (int c = 0; c < channels; ++c) {
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (integer_path) {
        fill_padded(input, static_cast<int>(g), c, x0, y0, width, height, s.padded_int_origin[g]);
      } else {
        fill_padded(input, static_cast<int>(g), c, x0, y0, width, height, s.padded_origin[g]);
      }
    }
    const int block_w = detail::round_up_block(width);
    for (std::size_t r = 0; r < row_passes.size(); ++r) {
      const detail::RowPass& pass = row_passes[r];
      if (pass.by_partner) continue;
      const detail::BorderGroup& g = groups[static_cast<std::size_t>(pass.group)];
      const float* src = s.padded_origin[static_cast<std::size_t>(pass.group)];
      float* dst = s.row_out[r].get();
      const auto taps = static_cast<int>(pass.taps.size());
      for (int row = 0; row < height + g.top + g.bottom; ++row) {
        const float* src_row = src + static_cast<std::size_t>(row) * padded_stride;
        float* dst_row = dst + static_cast<std::size_t>(row) * row_stride;
        if (pass.mirrored) {
          if (pass.partner < 0) {
            detail::mirror_taps(src_row, pass.mirror(), dst_row, block_w);
          } else {
            const auto q = static_cast<std::size_t>(pass.partner);
            detail::mirror_subset_taps(
                src_row, pass.mirror(), row_passes[q].mirror(), dst_row,
                s.row_out[q].get() + static_cast<std::size_t>(row) * row_stride, block_w);
          }
          continue;
        }
        if (pass.partner < 0) {
          detail::weighted_taps(src_row, pass.taps.data(), taps, dst_row, block_w);
          continue;
        }
        const auto q = static_cast<std::size_t>(pass.partner);
        detail::subset_taps(src_row, pass.taps.data(), taps, row_passes[q].taps.data(),
                            static_cast<int>(row_passes[q].taps.size()),
                            pass.partner_weights.data(), pass.partner_mask, dst_row,
                            s.row_out[q].get() + static_cast<std::size_t>(row) * row_stride,
                            block_w);
      }
    }

    // The padded row index of filter `f`'s first tap row for output row `oy`.
    auto source_row = [&](const detail::PlannedFilter& f, int oy) {
      const detail::BorderGroup& g = groups[static_cast<std::size_t>(f.group)];
      return oy * f.filter.stride_y - y0 + g.top + f.offset_y;
    };
    // The source row of filter `f` for output row `oy`, at the tile's first column.
    auto row_base = [&](const detail::PlannedFilter& f, int oy) -> const float* {
      const int r = source_row(f, oy);
      if (f.row_pass >= 0) {
        return s.row_out[static_cast<std::size_t>(f.row_pass)].get() +
               static_cast<std::size_t>(r) * row_stride;
      }
      return s.padded_origin[static_cast<std::size_t>(f.group)] +
             static_cast<std::size_t>(r) * padded_stride;
    };
    // The integer path's taps of filter `f` for output row `oy`, `offset` columns into the tile.
    auto int_kernel = [&](const detail::PlannedFilter& f, int oy, int offset) {
      return f.int_taps.over(s.padded_int_origin[static_cast<std::size_t>(f.group)] +
                             static_cast<std::size_t>(source_row(f, oy)) * padded_stride + offset);
    };
    // n stride-1 values of `f` at row `oy`, from `offset` columns into the tile.
    auto filter_row = [&](const detail::PlannedFilter& f, int oy, int offset, float* dst, int n,
                          bool stream) {
      if (integer_path) {
        detail::integer_taps(int_kernel(f, oy, offset), dst, n, stream);
      } else {
        detail::weighted_taps(row_base(f, oy) + offset, f.taps.data(),
                              static_cast<int>(f.taps.size()), dst, n, stream);
      }
    };
    // Copies stride-1 results (relative to x0) into output columns [first, end).
    auto store = [&](const float* values, const detail::PlannedFilter& f, OutputSpan span,
                     float* out_row) {
      const int sx = f.filter.stride_x;
      if (channels == 1 && sx == 1) {
        std::memcpy(out_row + span.first, values + (span.first - x0),
                    sizeof(float) * (span.end - span.first));
        return;
      }
      for (int ox = span.first; ox < span.end; ++ox) {
        out_row[static_cast<std::size_t>(ox) * channels + c] = values[ox * sx - x0];
      }
    };

    // Two output rows computed by one call (a row pair of one filter, or one
    // row of two filters sharing their taps): `both(offset, dst0, dst1, n,
    // stream)` fills n stride-1 values of each from `offset` columns into the tile.
    auto two_rows = [&](auto&& both, const detail::PlannedFilter& f0,
                        const detail::PlannedFilter& f1, int count, OutputSpan cols, float* out0,
                        float* out1) {
      float* tail1 = s.tail.get() + row_stride;
      if (channels == 1 && f0.filter.stride_x == 1) {
        const int whole = count / kBlock * kBlock;
        both(0, out0 + cols.first, out1 + cols.first, whole, stream_outputs);
        if (whole < count) {
          both(whole, s.tail.get(), tail1, kBlock, false);
          const auto bytes = sizeof(float) * static_cast<std::size_t>(count - whole);
          std::memcpy(out0 + cols.first + whole, s.tail.get(), bytes);
          std::memcpy(out1 + cols.first + whole, tail1, bytes);
        }
        return;
      }
      both(0, s.tail.get(), tail1, detail::round_up_block(count), false);
      store(s.tail.get(), f0, cols, out0);
      store(tail1, f1, cols, out1);
    };

    if (!combine) {
      for (std::size_t i = 0; i < planned.size(); ++i) {
        const detail::PlannedFilter& f = planned[i];
        if (f.by_partner) continue;
        FeatureMap& map = (*outputs)[i];
        const OutputSpan cols = span_in_tile(x0, x0 + width, f.filter.stride_x, f.out.width);
        const OutputSpan rows = span_in_tile(y0, y0 + height, f.filter.stride_y, f.out.height);
        const int count = cols.end > cols.first ? (cols.end - 1) * f.filter.stride_x - x0 + 1 : 0;
        for (int oy = rows.first; oy < rows.end && count > 0; ++oy) {
          float* out_row = map.row(oy);
          const auto taps = static_cast<int>(f.taps.size());
          if (f.partner >= 0) {
            const detail::PlannedFilter& g = planned[static_cast<std::size_t>(f.partner)];
            auto both = [&](int offset, float* dst0, float* dst1, int n, bool stream) {
              detail::shared_taps(row_base(f, oy) + offset, f.taps.data(), g.taps.data(), taps,
                                  dst0, dst1, n, stream);
            };
            two_rows(both, f, g, count, cols, out_row,
                     (*outputs)[static_cast<std::size_t>(f.partner)].row(oy));
          } else if (f.column_pairs && oy + 1 < rows.end) {
            auto both = [&](int offset, float* dst0, float* dst1, int n, bool stream) {
              detail::column_pair(row_base(f, oy) + offset, f.taps.data(), taps, row_stride, dst0,
                                  dst1, n, stream);
            };
            two_rows(both, f, f, count, cols, out_row, map.row(oy + 1));
            ++oy;
          } else if (!f.pair_runs.empty() && oy + 1 < rows.end) {
            auto both = [&](int offset, float* dst0, float* dst1, int n, bool stream) {
              detail::row_pair(row_base(f, oy) + offset, f.pair_taps.data(), f.pair_runs.data(),
                               static_cast<int>(f.pair_runs.size()), dst0, dst1, n, stream);
            };
            two_rows(both, f, f, count, cols, out_row, map.row(oy + 1));
            ++oy;
          } else if (channels == 1 && f.filter.stride_x == 1) {
            // Whole blocks go straight into the map; only the last one is copied.
            const int whole = count / kBlock * kBlock;
            filter_row(f, oy, 0, out_row + cols.first, whole, stream_outputs);
            if (whole < count) {
              filter_row(f, oy, whole, s.tail.get(), kBlock, false);
              std::memcpy(out_row + cols.first + whole, s.tail.get(),
                          sizeof(float) * (count - whole));
            }
          } else {
            filter_row(f, oy, 0, s.tail.get(), detail::round_up_block(count), false);
            store(s.tail.get(), f, cols, out_row);
          }
        }
      }
      continue;
    }

    // Fused combine: the integer path reduces in registers; the float path
    // computes every filter's row into scratch, reduces, then stores once.
    const detail::PlannedFilter& first = planned.front();
    const OutputSpan cols = span_in_tile(x0, x0 + width, first.filter.stride_x, first.out.width);
    const OutputSpan rows = span_in_tile(y0, y0 + height, first.filter.stride_y, first.out.height);
    const int count = cols.end > cols.first ? (cols.end - 1) * first.filter.stride_x - x0 + 1 : 0;
    const int op = static_cast<int>(combine->op);
    const float* weights = combine->weights.empty() ? nullptr : combine->weights.data();
    const auto k = static_cast<int>(planned.size());
    std::vector<const float*> inputs(planned.size());
    std::vector<detail::IntKernelRef> kernels(planned.size());
    auto combined_row = [&](int oy, int offset, float* dst, int n) {
      if (integer_path) {
        for (std::size_t i = 0; i < planned.size(); ++i)
          kernels[i] = int_kernel(planned[i], oy, offset);
        detail::integer_combined(kernels.data(), k, op, weights, dst, n);
        return;
      }
      for (std::size_t i = 0; i < planned.size(); ++i) {
        filter_row(planned[i], oy, offset, s.map_rows[i].get(), n, false);
        inputs[i] = s.map_rows[i].get();
      }
      detail::combine_rows(inputs.data(), k, op, weights, dst, n);
    };
    for (int oy = rows.first; oy < rows.end && count > 0; ++oy) {
      if (channels == 1 && first.filter.stride_x == 1) {
        // Whole blocks straight into the map; the last, partial one is copied.
        float* out_row = combined->row(oy) + cols.first;
        const int whole = count / kBlock * kBlock;
        combined_row(oy, 0, out_row, whole);
        if (whole < count) {
          combined_row(oy, whole, s.tail.get(), kBlock);
          std::memcpy(out_row + whole, s.tail.get(), sizeof(float) * (count - whole));
        }
      } else {
        combined_row(oy, 0, s.tail.get(), detail::round_up_block(count));
        store(s.tail.get(), first, cols, combined->row(oy));
      }
    }
  }
}

template <typename Body>
void BankPlan::Impl::parallel_tiles(Body&& body) const {
  auto loop = [&] {
    tbb::parallel_for(
        tbb::blocked_range<int>(0, tiles_x * tiles_y, 1),
        [&](const tbb::blocked_range<int>& range) {
          for (int t = range.begin(); t < range.end(); ++t) body(t);
        },
        tbb::simple_partitioner{});
  };
  if (arena) {
    const_cast<tbb::task_arena&>(*arena).execute(loop);
  } else {
    loop();
  }
}

namespace {
void check_input(const ImageView& input, const InputShape& shape) {
  if (input.width != shape.width || input.height != shape.height ||
      input.channels != shape.channels || input.type != shape.type || input.data == nullptr) {
    std::ostringstream message;
    message << "frame is " << input.width << "x" << input.height << "x" << input.channels << " "
            << to_string(input.type) << "; the bank was planned for " << shape.width << "x"
            << shape.height << "x" << shape.channels << " " << to_string(shape.type);
    throw ConfigError(message.str());
  }
}
}  // namespace

void BankPlan::run(const ImageView& input, std::vector<FeatureMap>& outputs) const {
  const Impl& p = *impl_;
  check_input(input, p.shape);
  outputs.resize(p.planned.size());
  for (std::size_t i = 0; i < p.planned.size(); ++i) {
    outputs[i].name = p.planned[i].filter.name;
    outputs[i].resize(p.planned[i].out.width, p.planned[i].out.height, p.shape.channels);
  }
  p.parallel_tiles([&](int tile) {
    p.run_tile(input, tile, &outputs, nullptr, nullptr);
    detail::flush_streams();
  });
}

void BankPlan::run_combined(const ImageView& input, const Combine& combine,
                            FeatureMap& output) const {
  const Impl& p = *impl_;
  check_input(input, p.shape);
  if (combine.op == CombineOp::Stack) {
    throw ConfigError("combine 'stack' keeps every map; use run() to get them all");
  }
  if (combine.op == CombineOp::WeightedSum && !combine.weights.empty() &&
      combine.weights.size() != p.planned.size()) {
    throw ConfigError("weighted_sum has " + std::to_string(combine.weights.size()) +
                      " weights for " + std::to_string(p.planned.size()) +
                      " filters; expected one weight per filter");
  }
  const detail::PlannedFilter& first = p.planned.front();
  for (const auto& f : p.planned) {
    if (f.out.width != first.out.width || f.out.height != first.out.height ||
        f.filter.stride_x != first.filter.stride_x || f.filter.stride_y != first.filter.stride_y) {
      std::ostringstream message;
      message << "cannot combine '" << f.filter.name << "' (" << f.out.width << "x" << f.out.height
              << ") with '" << first.filter.name << "' (" << first.out.width << "x"
              << first.out.height << "); expected maps of equal size and stride";
      throw ConfigError(message.str());
    }
  }
  output.name = to_string(combine.op);
  output.resize(first.out.width, first.out.height, p.shape.channels);
  p.parallel_tiles([&](int tile) { p.run_tile(input, tile, nullptr, &combine, &output); });
}

}  // namespace conveyor::conv
