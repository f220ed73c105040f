// Copying one tile of one channel into its border group's padded buffer:
// the only place where borders are handled (kernels never see them).
#include <algorithm>
#include <cstring>
#include <type_traits>

#include "conv/bank_layout.hpp"
#include "conv/border_index.hpp"

namespace conveyor::conv {

template <typename T>
void BankPlan::Impl::fill_padded(const ImageView& input, int group, int channel, int x0, int y0,
                                 int width, int height, T* padded) const {
  const detail::BorderGroup& g = groups[static_cast<std::size_t>(group)];
  const int fill_w = detail::round_up_block(width) + g.left + g.right;
  const int fill_h = height + g.top + g.bottom;
  const int first_x = x0 - g.left;
  // The columns of this tile that lie inside the image are copied in one run.
  const int inside_begin = std::clamp(0 - first_x, 0, fill_w);
  const int inside_end = std::clamp(input.width - first_x, inside_begin, fill_w);
  const int channels = input.channels;
  for (int r = 0; r < fill_h; ++r) {
    T* dst = padded + static_cast<std::size_t>(r) * padded_stride;
    const int sy = detail::border_index(y0 - g.top + r, input.height, g.border);
    if (sy < 0) {
      std::fill_n(dst, fill_w, T{0});
      continue;
    }
    const std::uint8_t* src = input.row(sy);
    auto sample = [&](int sx) -> T {
      if (sx < 0) return T{0};
      const std::size_t index = static_cast<std::size_t>(sx) * channels + channel;
      if (input.type == PixelType::U8) return static_cast<T>(src[index]);
      float value;
      std::memcpy(&value, src + index * sizeof(float), sizeof(float));
      return static_cast<T>(value);
    };
    for (int j = 0; j < inside_begin; ++j) {
      dst[j] = sample(detail::border_index(first_x + j, input.width, g.border));
    }
    const int run = inside_end - inside_begin;
    const std::size_t start = static_cast<std::size_t>(first_x + inside_begin) * channels + channel;
    if constexpr (std::is_same_v<T, std::int16_t>) {  // the integer path takes u8 input only
      detail::widen_u8_i16(src + start, channels, dst + inside_begin, run);
    } else if (input.type == PixelType::U8) {
      detail::widen_u8(src + start, channels, dst + inside_begin, run);
    } else if (channels == 1) {
      detail::copy_floats(reinterpret_cast<const float*>(src) + start, dst + inside_begin, run);
    } else {
      for (int j = 0; j < run; ++j) {
        std::memcpy(dst + inside_begin + j,
                    src + (start + static_cast<std::size_t>(j) * channels) * sizeof(float),
                    sizeof(float));
      }
    }
    for (int j = inside_end; j < fill_w; ++j) {
      dst[j] = sample(detail::border_index(first_x + j, input.width, g.border));
    }
  }
}

template void BankPlan::Impl::fill_padded<float>(const ImageView&, int, int, int, int, int, int,
                                                 float*) const;
template void BankPlan::Impl::fill_padded<std::int16_t>(const ImageView&, int, int, int, int, int,
                                                        int, std::int16_t*) const;

}  // namespace conveyor::conv
