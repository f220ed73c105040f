#include "conveyor/conv/kernel.hpp"

#include <cmath>
#include <sstream>

#include "conveyor/conv/errors.hpp"

namespace conveyor::conv {

std::string to_string(Border border) {
  switch (border) {
    case Border::Valid:
      return "valid";
    case Border::Zero:
      return "zero";
    case Border::Replicate:
      return "replicate";
    case Border::Reflect:
      return "reflect";
    case Border::Wrap:
      return "wrap";
  }
  return "?";
}

const std::vector<std::string>& border_names() {
  static const std::vector<std::string> names{"valid", "zero", "replicate", "reflect", "wrap"};
  return names;
}

std::optional<Border> parse_border(const std::string& text) {
  if (text == "valid") return Border::Valid;
  if (text == "zero" || text == "constant") return Border::Zero;
  if (text == "replicate") return Border::Replicate;
  if (text == "reflect" || text == "reflect101" || text == "reflect_101") return Border::Reflect;
  if (text == "wrap") return Border::Wrap;
  return std::nullopt;
}

Kernel make_kernel(const std::vector<std::vector<float>>& rows, std::string name) {
  if (rows.empty() || rows.front().empty()) {
    throw ConfigError("kernel '" + name + "' is empty; expected at least one row of weights");
  }
  Kernel kernel;
  kernel.name = std::move(name);
  kernel.height = static_cast<int>(rows.size());
  kernel.width = static_cast<int>(rows.front().size());
  for (std::size_t y = 0; y < rows.size(); ++y) {
    if (rows[y].size() != rows.front().size()) {
      std::ostringstream message;
      message << "kernel '" << kernel.name << "' has ragged rows: row " << y + 1 << " has "
              << rows[y].size() << " values, expected " << rows.front().size() << " like row 1";
      throw ConfigError(message.str());
    }
    kernel.weights.insert(kernel.weights.end(), rows[y].begin(), rows[y].end());
  }
  if (std::string problem = weight_sum_problem(kernel); !problem.empty())
    throw ConfigError(problem);
  return kernel;
}

std::string weight_sum_problem(const Kernel& kernel) {
  double sum = 0;
  for (const float w : kernel.weights) sum += std::fabs(static_cast<double>(w));
  if (sum <= kMaxWeightSum || !std::isfinite(sum)) return {};  // non-finite: its own message
  std::ostringstream message;
  message << "kernel '" << kernel.name << "': the sum of |weights| is " << sum
          << ", which overflows the feature maps; expected at most " << kMaxWeightSum
          << " (scale the weights down)";
  return message.str();
}

Kernel flipped(const Kernel& kernel) {
  Kernel result = kernel;
  for (int y = 0; y < kernel.height; ++y) {
    for (int x = 0; x < kernel.width; ++x) {
      result.weights[static_cast<std::size_t>(y) * kernel.width + x] =
          kernel.at(kernel.height - 1 - y, kernel.width - 1 - x);
    }
  }
  if (kernel.anchor_x) result.anchor_x = kernel.width - 1 - *kernel.anchor_x;
  if (kernel.anchor_y) result.anchor_y = kernel.height - 1 - *kernel.anchor_y;
  return result;
}

std::string validate_kernel(const Kernel& kernel, Border border) {
  std::ostringstream message;
  const std::string label = "kernel '" + kernel.name + "'";
  if (kernel.width <= 0 || kernel.height <= 0 || kernel.weights.empty()) {
    message << label << " is empty; expected at least a 1x1 matrix";
  } else if (kernel.weights.size() != static_cast<std::size_t>(kernel.width) * kernel.height) {
    message << label << " has " << kernel.weights.size() << " weights, expected " << kernel.width
            << "x" << kernel.height;
  } else if (kernel.width > kMaxKernelSize || kernel.height > kMaxKernelSize) {
    message << label << " is " << kernel.width << "x" << kernel.height << "; expected at most "
            << kMaxKernelSize << "x" << kMaxKernelSize;
  } else {
    for (std::size_t i = 0; i < kernel.weights.size(); ++i) {
      if (!std::isfinite(kernel.weights[i])) {
        message << label << " has a non-finite weight " << kernel.weights[i] << " at row "
                << i / kernel.width + 1 << ", column " << i % kernel.width + 1
                << "; expected a finite number";
        return message.str();
      }
    }
    if (std::string problem = weight_sum_problem(kernel); !problem.empty()) return problem;
    const bool needs_anchor = border != Border::Valid;
    if (needs_anchor && ((kernel.width % 2 == 0 && !kernel.anchor_x) ||
                         (kernel.height % 2 == 0 && !kernel.anchor_y))) {
      message << label << " is " << kernel.width << "x" << kernel.height
              << " (even) and has no anchor; expected an anchor such as [0, 0] "
                 "(or the 'valid' border, which needs none)";
    } else if (kernel.anchor_col() < 0 || kernel.anchor_col() >= kernel.width ||
               kernel.anchor_row() < 0 || kernel.anchor_row() >= kernel.height) {
      message << label << " has anchor (" << kernel.anchor_col() << ", " << kernel.anchor_row()
              << "); expected a cell inside the " << kernel.width << "x" << kernel.height
              << " kernel";
    }
  }
  return message.str();
}

int output_extent(int input, int kernel, int stride, Border border) {
  if (input <= 0 || stride <= 0) return 0;
  if (border == Border::Valid) return input >= kernel ? (input - kernel) / stride + 1 : 0;
  return (input - 1) / stride + 1;
}

MapSize output_size(const Filter& filter, int input_width, int input_height) {
  return {output_extent(input_width, filter.kernel.width, filter.stride_x, filter.border),
          output_extent(input_height, filter.kernel.height, filter.stride_y, filter.border)};
}

void validate_filter(const Filter& filter) {
  if (filter.stride_x < 1 || filter.stride_y < 1) {
    std::ostringstream message;
    message << "filter '" << filter.name << "' has stride " << filter.stride_x << "x"
            << filter.stride_y << "; expected a stride of at least 1";
    throw ConfigError(message.str());
  }
  const std::string problem = validate_kernel(filter.kernel, filter.border);
  if (!problem.empty()) throw ConfigError("filter '" + filter.name + "': " + problem);
}

}  // namespace conveyor::conv
