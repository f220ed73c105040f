// Numbers, matrices and anchors of a kernel file (see kernel_file_reader.hpp).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "kernel_file_reader.hpp"

namespace conveyor::config::detail {
namespace {

using pipeline_detail::describe;
using pipeline_detail::read_list;
using pipeline_detail::read_real;

const std::string kWeightExpect = "a finite number such as 1 or -0.5";

// Up to half a float step above the largest float still rounds to it.
bool to_float(Context& ctx, const Value& value, double number, float& out) {
  constexpr double kLargest = std::numeric_limits<float>::max();
  if (std::fabs(number) >= kLargest + 0x1p103) {
    ctx.error(value.mark, value.path + ": " + describe(value.node) +
                              " does not fit a 32-bit float; expected a smaller number");
    return false;
  }
  out = static_cast<float>(std::clamp(number, -kLargest, kLargest));
  return true;
}

// One row of weights appended to `kernel`; false when it has a problem.
bool read_row(Context& ctx, const Value& row, std::size_t index, conv::Kernel& kernel) {
  const std::string expect = "a list of numbers";
  auto items = read_list(ctx, row, expect);
  if (!items) return false;
  if (items->empty()) {
    ctx.error(row.mark, row.path + ": row " + std::to_string(index + 1) +
                            " is an empty list; expected " + expect);
    return false;
  }
  if (kernel.height > 0 && static_cast<int>(items->size()) != kernel.width) {
    ctx.error(row.mark, row.path + ": row " + std::to_string(index + 1) + " has " +
                            std::to_string(items->size()) + " values; expected " +
                            std::to_string(kernel.width) +
                            " like row 1 (rows must be equal length)");
    return false;
  }
  bool ok = true;
  for (const auto& item : *items) {
    double number = 0;
    float weight = 0;
    ok = read_number(ctx, item, number, kWeightExpect) && to_float(ctx, item, number, weight) && ok;
    kernel.weights.push_back(weight);
  }
  kernel.width = static_cast<int>(items->size());
  ++kernel.height;
  return ok;
}

}  // namespace

bool read_number(Context& ctx, const Value& value, double& out, const std::string& expect) {
  if (value.node.IsScalar() && value.node.Tag() == "!") {
    ctx.error(value.mark, value.path + ": " + describe(value.node) +
                              " is a quoted string; expected " + expect + " (unquoted)");
    return false;
  }
  return read_real(ctx, value, -DBL_MAX, DBL_MAX, out, expect);
}

bool read_whole(Context& ctx, const Value& value, int min, int max, int& out,
                const std::string& expect) {
  double number = 0;
  if (!read_number(ctx, value, number, expect)) return false;
  if (number != std::floor(number)) {
    ctx.error(value.mark,
              value.path + ": " + describe(value.node) + " is not an integer; expected " + expect);
    return false;
  }
  if (number < min || number > max) {
    ctx.error(value.mark,
              value.path + ": " + describe(value.node) + " is out of range; expected " + expect);
    return false;
  }
  out = static_cast<int>(number);
  return true;
}

std::optional<conv::Kernel> read_weights(Context& ctx, const Value& value,
                                         const std::string& name) {
  const std::string expect = "rows of numbers such as [[0, 1, 0], [1, -4, 1], [0, 1, 0]]";
  auto rows = read_list(ctx, value, expect);
  if (!rows) return std::nullopt;
  if (rows->empty()) {
    ctx.error(value.mark, value.path + ": an empty list; expected " + expect);
    return std::nullopt;
  }
  const bool one_row = std::all_of(rows->begin(), rows->end(),
                                   [](const Value& item) { return item.node.IsScalar(); });
  conv::Kernel kernel;
  kernel.name = name;
  bool ok = true;
  if (one_row) {
    ok = read_row(ctx, value, 0, kernel);
  } else {
    for (std::size_t i = 0; i < rows->size() && ok; ++i) ok = read_row(ctx, (*rows)[i], i, kernel);
  }
  if (!ok) return std::nullopt;
  if (kernel.width > conv::kMaxKernelSize || kernel.height > conv::kMaxKernelSize) {
    ctx.error(value.mark, value.path + ": a " + std::to_string(kernel.width) + "x" +
                              std::to_string(kernel.height) + " kernel; expected at most " +
                              std::to_string(conv::kMaxKernelSize) + "x" +
                              std::to_string(conv::kMaxKernelSize));
    return std::nullopt;
  }
  return kernel;
}

void apply_scale(Context& ctx, const Value& value, conv::Kernel& kernel) {
  double scale = 1;
  if (!read_number(ctx, value, scale, "a finite number such as 0.25")) return;
  for (float& weight : kernel.weights) {
    const double product = weight * scale;
    if (std::fabs(product) >= std::numeric_limits<float>::max() + 0x1p103) {
      ctx.error(value.mark, value.path + ": " + describe(value.node) +
                                " makes a weight too large for a 32-bit float; expected a "
                                "smaller scale");
      return;
    }
    weight = static_cast<float>(std::clamp<double>(product, -std::numeric_limits<float>::max(),
                                                   std::numeric_limits<float>::max()));
  }
}

void read_anchor(Context& ctx, const Value& value, conv::Kernel& kernel) {
  const std::string expect = "[x, y] (column, row from 0)";
  auto items = read_list(ctx, value, expect);
  if (!items) return;
  if (items->size() != 2) {
    ctx.error(value.mark, value.path + ": a list of " + std::to_string(items->size()) +
                              " items is not a pair; expected " + expect);
    return;
  }
  int x = 0;
  int y = 0;
  const std::string x_range = "x in 0.." + std::to_string(kernel.width - 1);
  const std::string y_range = "y in 0.." + std::to_string(kernel.height - 1);
  const bool read =
      read_whole(ctx, (*items)[0], INT32_MIN, INT32_MAX, x, "an integer, " + x_range) &&
      read_whole(ctx, (*items)[1], INT32_MIN, INT32_MAX, y, "an integer, " + y_range);
  if (!read) return;
  if (x < 0 || x >= kernel.width || y < 0 || y >= kernel.height) {
    ctx.error(value.mark, value.path + ": [" + std::to_string(x) + ", " + std::to_string(y) +
                              "] is outside the kernel; expected " + x_range + " and " + y_range);
    return;
  }
  kernel.anchor_x = x;
  kernel.anchor_y = y;
}

}  // namespace conveyor::config::detail
