#include "conveyor/conv/image.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <utility>

namespace conveyor::conv {

namespace detail {
namespace {
constexpr std::align_val_t kMapAlignment{64};
constexpr std::size_t kStaggeredFrom = 64 * 1024;  // smaller blocks: plain aligned new
constexpr std::size_t kPage = 4096;
constexpr std::size_t kStep = 576;  // 9 cache lines: seven offsets spread over the page
constexpr std::size_t kOffsets = 7;
std::atomic<std::size_t> next_offset{0};
}  // namespace

void* allocate_map_bytes(std::size_t bytes) {
  if (bytes < kStaggeredFrom) return ::operator new(bytes, kMapAlignment);
  // The block starts at page offset `target`, at least a cache line into an
  // aligned allocation; the word before it keeps the allocation's address.
  const std::size_t target = 64 + kStep * (next_offset.fetch_add(1) % kOffsets);
  auto* base = static_cast<std::uint8_t*>(::operator new(bytes + 2 * kPage, kMapAlignment));
  std::size_t skip = (target + kPage - reinterpret_cast<std::uintptr_t>(base) % kPage) % kPage;
  if (skip < 64) skip += kPage;
  std::uint8_t* block = base + skip;
  std::memcpy(block - sizeof(void*), &base, sizeof(void*));
  return block;
}

void free_map_bytes(void* block, std::size_t bytes) noexcept {
  if (block == nullptr) return;
  if (bytes < kStaggeredFrom) {
    ::operator delete(block, kMapAlignment);
    return;
  }
  void* base = nullptr;
  std::memcpy(&base, static_cast<std::uint8_t*>(block) - sizeof(void*), sizeof(void*));
  ::operator delete(base, kMapAlignment);
}
}  // namespace detail

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
