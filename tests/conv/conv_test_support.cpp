#include "conv_test_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "conveyor/conv/bank.hpp"
#include "conveyor/conv/reference.hpp"

namespace conveyor::conv::test {

OwnedImage random_image(std::mt19937& rng, int width, int height, int channels, PixelType type,
                        ImageLayout layout) {
  const std::size_t pixel = pixel_size(type) * static_cast<std::size_t>(channels);
  const std::size_t stride =
      pixel * static_cast<std::size_t>(layout.margin_x + width + layout.pad + layout.margin_x);
  const std::size_t rows = static_cast<std::size_t>(layout.margin_y * 2 + height);
  OwnedImage image;
  image.buffer.resize(stride * rows);
  if (type == PixelType::U8) {
    std::uniform_int_distribution<int> value(0, 255);
    for (auto& byte : image.buffer) byte = static_cast<std::uint8_t>(value(rng));
  } else {
    std::uniform_real_distribution<float> value(-100.0f, 100.0f);
    for (std::size_t i = 0; i + sizeof(float) <= image.buffer.size(); i += sizeof(float)) {
      const float v = value(rng);
      std::memcpy(image.buffer.data() + i, &v, sizeof(float));
    }
  }
  image.view.data = image.buffer.data() + stride * static_cast<std::size_t>(layout.margin_y) +
                    pixel * static_cast<std::size_t>(layout.margin_x);
  image.view.width = width;
  image.view.height = height;
  image.view.channels = channels;
  image.view.type = type;
  image.view.stride_bytes = stride;
  return image;
}

std::string to_string(KernelStyle style) {
  switch (style) {
    case KernelStyle::Dense:
      return "dense";
    case KernelStyle::Sparse:
      return "sparse";
    case KernelStyle::AllZero:
      return "all-zero";
    case KernelStyle::Separable:
      return "separable";
    case KernelStyle::Integer:
      return "integer";
    case KernelStyle::SmallInteger:
      return "small-integer";
  }
  return "?";
}

Kernel outer_product(const std::vector<float>& column, const std::vector<float>& row,
                     const std::string& name) {
  Kernel k;
  k.name = name;
  k.width = static_cast<int>(row.size());
  k.height = static_cast<int>(column.size());
  for (float c : column) {
    for (float r : row) k.weights.push_back(c * r);
  }
  return k;
}

Kernel random_kernel(std::mt19937& rng, int width, int height, KernelStyle style,
                     bool random_anchor) {
  std::uniform_real_distribution<float> weight(-1.0f, 1.0f);
  std::uniform_int_distribution<int> small_int(-8, 8);
  std::bernoulli_distribution coin(0.5);
  Kernel k;
  k.name = to_string(style) + std::to_string(width) + "x" + std::to_string(height);
  k.width = width;
  k.height = height;
  k.weights.resize(static_cast<std::size_t>(width) * height);
  std::vector<float> row(static_cast<std::size_t>(width));
  std::vector<float> column(static_cast<std::size_t>(height));
  for (auto& v : row) v = weight(rng);
  for (auto& v : column) v = weight(rng);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      float& w = k.weights[static_cast<std::size_t>(y) * width + x];
      switch (style) {
        case KernelStyle::Dense:
          w = weight(rng);
          break;
        case KernelStyle::Sparse:
          w = coin(rng) ? 0.0f : weight(rng);
          break;
        case KernelStyle::AllZero:
          w = 0.0f;
          break;
        case KernelStyle::Separable:
          w = column[static_cast<std::size_t>(y)] * row[static_cast<std::size_t>(x)];
          break;
        case KernelStyle::Integer:
          w = static_cast<float>(small_int(rng));
          break;
        case KernelStyle::SmallInteger:
          w = static_cast<float>(small_int(rng) / 4);  // -2 .. 2, zero a third of the time
          break;
      }
    }
  }
  if (style == KernelStyle::SmallInteger) {  // keep sum|w| * 255 within int16
    std::uniform_int_distribution<std::size_t> tap(0, k.weights.size() - 1);
    while (abs_weight_sum(k) > 128.0) k.weights[tap(rng)] = 0.0f;
  }
  std::uniform_int_distribution<int> ax(0, width - 1);
  std::uniform_int_distribution<int> ay(0, height - 1);
  if (width % 2 == 0 || random_anchor) k.anchor_x = ax(rng);
  if (height % 2 == 0 || random_anchor) k.anchor_y = ay(rng);
  return k;
}

double abs_weight_sum(const Kernel& kernel) {
  double sum = 0.0;
  for (float w : kernel.weights) sum += std::fabs(static_cast<double>(w));
  return sum;
}

double max_abs_pixel(const ImageView& view) {
  double largest = 0.0;
  for (int y = 0; y < view.height; ++y) {
    const std::uint8_t* row = view.row(y);
    for (int i = 0; i < view.width * view.channels; ++i) {
      double v = 0.0;
      if (view.type == PixelType::U8) {
        v = row[i];
      } else {
        float f;
        std::memcpy(&f, row + static_cast<std::size_t>(i) * sizeof(float), sizeof(float));
        v = std::fabs(static_cast<double>(f));
      }
      largest = std::max(largest, v);
    }
  }
  return largest;
}

std::string describe(const Filter& filter) {
  std::ostringstream text;
  const Kernel& k = filter.kernel;
  text << "filter '" << filter.name << "' kernel " << k.name << " " << k.width << "x" << k.height
       << " anchor (" << k.anchor_col() << "," << k.anchor_row() << ") stride " << filter.stride_x
       << "x" << filter.stride_y << " border " << to_string(filter.border)
       << (filter.flip ? " flip" : "");
  return text.str();
}

std::string describe(const ImageView& view) {
  std::ostringstream text;
  text << "input " << view.width << "x" << view.height << "x" << view.channels << " "
       << to_string(view.type) << " stride_bytes " << view.stride_bytes;
  return text.str();
}

std::string describe(const PlanOptions& options) {
  std::ostringstream text;
  static const char* const kStream[] = {"auto", "on", "off"};
  text << "threads " << options.threads << " tile " << options.tile_width << "x"
       << options.tile_height << " stream " << kStream[static_cast<int>(options.stream)];
  return text.str();
}

::testing::AssertionResult maps_near(const FeatureMap& got, const FeatureMap& want,
                                     double tolerance) {
  if (got.width != want.width || got.height != want.height || got.channels != want.channels) {
    return ::testing::AssertionFailure()
           << "size " << got.width << "x" << got.height << "x" << got.channels << ", expected "
           << want.width << "x" << want.height << "x" << want.channels;
  }
  std::size_t bad = 0;
  double worst = 0.0;
  std::ostringstream first;
  for (int y = 0; y < want.height; ++y) {
    for (int x = 0; x < want.width; ++x) {
      for (int c = 0; c < want.channels; ++c) {
        const double error = std::fabs(static_cast<double>(got.at(y, x, c)) - want.at(y, x, c));
        if (!(error <= tolerance)) {  // NaN counts as a mismatch
          if (bad++ == 0) {
            first << "(x " << x << ", y " << y << ", c " << c << "): got " << got.at(y, x, c)
                  << ", expected " << want.at(y, x, c);
          }
          worst = std::max(worst, error);
        }
      }
    }
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << bad << " of " << want.data.size() << " values differ by more than " << tolerance
         << "; first at " << first.str() << "; worst " << worst;
}

::testing::AssertionResult maps_identical(const FeatureMap& got, const FeatureMap& want) {
  if (got.width != want.width || got.height != want.height || got.channels != want.channels ||
      got.data.size() != want.data.size()) {
    return ::testing::AssertionFailure() << "sizes differ";
  }
  if (std::memcmp(got.data.data(), want.data.data(), got.data.size() * sizeof(float)) == 0) {
    return ::testing::AssertionSuccess();
  }
  for (std::size_t i = 0; i < got.data.size(); ++i) {
    if (std::memcmp(&got.data[i], &want.data[i], sizeof(float)) != 0) {
      const std::size_t pixel = i / static_cast<std::size_t>(want.channels);
      return ::testing::AssertionFailure()
             << "first difference at x " << pixel % static_cast<std::size_t>(want.width) << ", y "
             << pixel / static_cast<std::size_t>(want.width) << ": " << got.data[i] << " vs "
             << want.data[i];
    }
  }
  return ::testing::AssertionFailure() << "memcmp differs";
}

double tolerance_for(const Filter& filter, const ImageView& input) {
  // Zero for an all-zero kernel or a black frame: only exact zeros pass then.
  return kRelativeTolerance * abs_weight_sum(filter.kernel) * max_abs_pixel(input);
}

FeatureMap run_single(const Filter& filter, const ImageView& input, PlanOptions options) {
  const BankPlan plan({filter}, InputShape{input.width, input.height, input.channels, input.type},
                      options);
  std::vector<FeatureMap> maps;
  plan.run(input, maps);
  return std::move(maps.at(0));
}

void expect_bank_maps_match_singles(const std::vector<Filter>& bank, const ImageView& input,
                                    const PlanOptions& options) {
  std::vector<FeatureMap> maps;
  BankPlan(bank, InputShape{input.width, input.height, input.channels, input.type}, options)
      .run(input, maps);
  for (std::size_t i = 0; i < bank.size(); ++i) {
    SCOPED_TRACE(describe(bank[i]) + " on " + describe(input) + " " + describe(options));
    EXPECT_TRUE(maps_identical(maps[i], run_single(bank[i], input, options)));
    EXPECT_TRUE(
        maps_near(maps[i], reference_filter(input, bank[i]), tolerance_for(bank[i], input)));
  }
}

FeatureMap expect_row_pairs_match_single_rows(const Filter& filter, const ImageView& input) {
  const InputShape shape{input.width, input.height, input.channels, input.type};
  std::vector<FeatureMap> want;
  BankPlan({filter}, shape, {1, 0, 1}).run(input, want);
  EXPECT_TRUE(maps_near(want[0], reference_filter(input, filter), tolerance_for(filter, input)));
  for (const PlanOptions& options :
       {PlanOptions{1, 0, 0}, PlanOptions{2, 0, 3}, PlanOptions{2, 17, 5},
        PlanOptions{1, 0, 4, StreamStores::On}}) {
    SCOPED_TRACE(describe(options));
    std::vector<FeatureMap> got;
    BankPlan({filter}, shape, options).run(input, got);
    EXPECT_TRUE(maps_identical(got[0], want[0]));
  }
  return want[0];
}

cv::Mat as_mat(const ImageView& view) {
  const int depth = view.type == PixelType::U8 ? CV_8U : CV_32F;
  return cv::Mat(view.height, view.width, CV_MAKETYPE(depth, view.channels),
                 const_cast<std::uint8_t*>(view.data), view.stride_bytes);
}

FeatureMap from_mat(const cv::Mat& mat) {
  FeatureMap map(mat.cols, mat.rows, mat.channels());
  for (int y = 0; y < mat.rows; ++y) {
    std::memcpy(map.row(y), mat.ptr<float>(y), map.stride() * sizeof(float));
  }
  return map;
}

}  // namespace conveyor::conv::test
