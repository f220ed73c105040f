// Image views and feature maps: the only data types the engine works on.
// Views describe memory owned by someone else (an OpenCV Mat, a video frame);
// feature maps are owned, contiguous, interleaved f32 images.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace conveyor::conv {

enum class PixelType { U8, F32 };

std::size_t pixel_size(PixelType type);
std::string to_string(PixelType type);

// A read-only image of 1 or 3 interleaved channels with an explicit row stride,
// so a sub-rectangle or a padded buffer can be processed without copying.
struct ImageView {
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 1;
  PixelType type = PixelType::F32;
  std::size_t stride_bytes = 0;  // distance between rows, in bytes

  const std::uint8_t* row(int y) const { return data + static_cast<std::size_t>(y) * stride_bytes; }
  bool empty() const { return width <= 0 || height <= 0; }
};

ImageView make_view(const float* data, int width, int height, int channels = 1,
                    std::size_t stride_bytes = 0);
ImageView make_view(const std::uint8_t* data, int width, int height, int channels = 1,
                    std::size_t stride_bytes = 0);

namespace detail {
// Cache-line aligned blocks for feature maps. Large blocks start at one of
// several offsets within a 4 KiB page, in turn: blocks fresh from the system
// all start at the same page offset, and the six-map bank writing such maps
// measured 25 % slower (most likely 4K aliasing: stores and loads whose
// addresses match in their low 12 bits look dependent to the processor).
void* allocate_map_bytes(std::size_t bytes);
void free_map_bytes(void* block, std::size_t bytes) noexcept;
}  // namespace detail

// Cache-line aligned storage, so map rows can take aligned (streaming) stores.
template <typename T>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U>&) noexcept {}  // NOLINT: allocator rebinding
  T* allocate(std::size_t n) { return static_cast<T*>(detail::allocate_map_bytes(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { detail::free_map_bytes(p, n * sizeof(T)); }
  // Default-initialise instead of value-initialise: growing a map leaves the
  // floats unset rather than zeroing megabytes the engine overwrites anyway
  // (the zeroing was 15% of a live run with a seven-map bank).
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <typename U>
  bool operator==(const AlignedAllocator<U>&) const noexcept {
    return true;
  }
};

// An owned f32 image, rows packed (stride = width * channels floats).
struct FeatureMap {
  std::string name;
  int width = 0;
  int height = 0;
  int channels = 1;
  std::vector<float, AlignedAllocator<float>> data;

  FeatureMap() = default;
  FeatureMap(int w, int h, int c = 1, std::string map_name = {});  // zero-filled

  // Sets the geometry; the values are unspecified (the caller writes them all).
  void resize(int w, int h, int c);
  std::size_t stride() const { return static_cast<std::size_t>(width) * channels; }
  float* row(int y) { return data.data() + static_cast<std::size_t>(y) * stride(); }
  const float* row(int y) const { return data.data() + static_cast<std::size_t>(y) * stride(); }
  float& at(int y, int x, int c = 0) { return row(y)[static_cast<std::size_t>(x) * channels + c]; }
  float at(int y, int x, int c = 0) const {
    return row(y)[static_cast<std::size_t>(x) * channels + c];
  }
  bool empty() const { return width <= 0 || height <= 0; }
  ImageView view() const { return make_view(data.data(), width, height, channels); }
};

}  // namespace conveyor::conv
