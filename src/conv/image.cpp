#include "conveyor/conv/image.hpp"

#include <algorithm>
#include <utility>

namespace conveyor::conv {

std::size_t pixel_size(PixelType type) {
  return type == PixelType::U8 ? 1 : sizeof(float);
}

std::string to_string(PixelType type) {
  return type == PixelType::U8 ? "u8" : "f32";
}

ImageView make_view(const float* data, int width, int height, int channels,
                    std::size_t stride_bytes) {
  ImageView view;
  view.data = reinterpret_cast<const std::uint8_t*>(data);
  view.width = width;
  view.height = height;
  view.channels = channels;
  view.type = PixelType::F32;
  view.stride_bytes =
      stride_bytes ? stride_bytes : static_cast<std::size_t>(width) * channels * sizeof(float);
  return view;
}

ImageView make_view(const std::uint8_t* data, int width, int height, int channels,
                    std::size_t stride_bytes) {
  ImageView view;
  view.data = data;
  view.width = width;
  view.height = height;
  view.channels = channels;
  view.type = PixelType::U8;
  view.stride_bytes = stride_bytes ? stride_bytes : static_cast<std::size_t>(width) * channels;
  return view;
}

FeatureMap::FeatureMap(int w, int h, int c, std::string map_name) : name(std::move(map_name)) {
  resize(w, h, c);
  std::fill(data.begin(), data.end(), 0.0f);
}

void FeatureMap::resize(int w, int h, int c) {
  width = w;
  height = h;
  channels = c;
  data.resize(static_cast<std::size_t>(w) * h * c);
}

}  // namespace conveyor::conv
