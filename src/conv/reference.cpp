// The reference convolution: the maths, written as plainly as possible.
#include "conveyor/conv/reference.hpp"

#include <cstring>

#include "conv/border_index.hpp"

namespace conveyor::conv {
using detail::border_index;

float reference_sample(const ImageView& input, int x, int y, int c, Border border) {
  const int sx = border_index(x, input.width, border);
  const int sy = border_index(y, input.height, border);
  if (sx < 0 || sy < 0) return 0.0f;
  const std::uint8_t* row = input.row(sy);
  const std::size_t index = static_cast<std::size_t>(sx) * input.channels + c;
  if (input.type == PixelType::U8) return static_cast<float>(row[index]);
  float value;
  std::memcpy(&value, row + index * sizeof(float), sizeof(float));
  return value;
}

FeatureMap reference_filter(const ImageView& input, const Filter& filter) {
  const Kernel kernel = filter.flip ? flipped(filter.kernel) : filter.kernel;
  const MapSize size = output_size(filter, input.width, input.height);
  FeatureMap out(size.width, size.height, input.channels, filter.name);
  const bool valid = filter.border == Border::Valid;
  const int ax = valid ? 0 : kernel.anchor_col();
  const int ay = valid ? 0 : kernel.anchor_row();
  for (int oy = 0; oy < size.height; ++oy) {
    for (int ox = 0; ox < size.width; ++ox) {
      for (int c = 0; c < input.channels; ++c) {
        double sum = 0.0;
        for (int ky = 0; ky < kernel.height; ++ky) {
          for (int kx = 0; kx < kernel.width; ++kx) {
            const int x = ox * filter.stride_x + kx - ax;
            const int y = oy * filter.stride_y + ky - ay;
            sum += static_cast<double>(kernel.at(ky, kx)) *
                   reference_sample(input, x, y, c, filter.border);
          }
        }
        out.at(oy, ox, c) = static_cast<float>(sum);
      }
    }
  }
  return out;
}

}  // namespace conveyor::conv
