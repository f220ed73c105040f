// Scalar, number and matrix values of a kernel file (see kernel_file_reader.hpp).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "kernel_file_reader.hpp"

namespace conveyor::config::detail {

void Reader::check_duplicates(const YAML::Node& node) const {
  if (node.IsMap()) {
    std::map<std::string, YAML::Mark> seen;
    for (const auto& pair : node) {
      if (pair.first.IsScalar()) {
        const auto [it, inserted] = seen.emplace(pair.first.Scalar(), pair.first.Mark());
        if (!inserted) {
          fail(pair.first.Mark(), "duplicate key '" + it->first + "' (first defined at line " +
                                      std::to_string(it->second.line + 1) +
                                      "); expected each key once per map");
        }
      }
      check_duplicates(pair.second);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) check_duplicates(item);
  }
}

double Reader::number(const YAML::Node& node, const YAML::Mark& fallback,
                      const std::string& what) const {
  const YAML::Mark mark = mark_of(node, fallback);
  if (!node.IsScalar()) fail(mark, what + " is not a number; expected a number");
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") fail(mark, what + " is the string \"" + text + "\"; expected a number");
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos) {
    fail(mark, what + " '" + text + "' is not finite; expected a finite number");
  }
  std::string_view digits(text);
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  const char* end = digits.data() + digits.size();
  const auto result = std::from_chars(digits.data(), end, value);
  if (digits.empty() || result.ec != std::errc{} || result.ptr != end || !std::isfinite(value)) {
    fail(mark,
         what + " '" + text + "' is not a finite number; expected a number such as 1 or -0.5");
  }
  return value;
}

int Reader::integer(const YAML::Node& node, const YAML::Mark& fallback,
                    const std::string& what) const {
  const double value = number(node, fallback, what);
  if (value != std::floor(value) || std::fabs(value) > 1e6) {
    fail(mark_of(node, fallback),
         what + " '" + node.Scalar() + "' is not valid; expected an integer");
  }
  return static_cast<int>(value);
}

std::string Reader::scalar(const YAML::Node& node, const YAML::Mark& fallback,
                           const std::string& what) const {
  if (!node.IsScalar())
    fail(mark_of(node, fallback), what + " is not a single value; expected text");
  return node.Scalar();
}

conv::Kernel Reader::weights(const YAML::Node& node, const YAML::Mark& key,
                             const std::string& name) const {
  const YAML::Mark mark = mark_of(node, key);
  const std::string label = "kernel '" + name + "'";
  if (!node.IsSequence() || node.size() == 0) {
    fail(mark, label +
                   " weights are empty or not a list; expected rows of numbers such as "
                   "[[0, 1, 0], [1, -4, 1], [0, 1, 0]]");
  }
  const bool one_row =
      std::all_of(node.begin(), node.end(), [](const YAML::Node& item) { return item.IsScalar(); });
  conv::Kernel kernel;
  kernel.name = name;
  std::size_t row_index = 0;
  auto add_row = [&](const YAML::Node& row) {
    ++row_index;
    const YAML::Mark row_mark = mark_of(row, mark);
    const std::string row_label = label + " row " + std::to_string(row_index);
    if (!row.IsSequence() || row.size() == 0) {
      fail(row_mark, row_label + " is empty or not a list; expected a list of numbers");
    }
    if (kernel.height > 0 && static_cast<int>(row.size()) != kernel.width) {
      fail(row_mark, row_label + " has " + std::to_string(row.size()) + " values; expected " +
                         std::to_string(kernel.width) + " like row 1 (rows must be equal length)");
    }
    kernel.width = static_cast<int>(row.size());
    std::size_t column = 0;
    for (const auto& value : row) {
      ++column;
      const std::string what = label + " weight at row " + std::to_string(row_index) + ", column " +
                               std::to_string(column);
      kernel.weights.push_back(
          to_float(number(value, row_mark, what), mark_of(value, row_mark), what));
    }
    ++kernel.height;
  };
  if (one_row) {
    add_row(node);
  } else {
    for (const auto& row : node) add_row(row);
  }
  if (kernel.width > conv::kMaxKernelSize || kernel.height > conv::kMaxKernelSize) {
    fail(mark, label + " is " + std::to_string(kernel.width) + "x" + std::to_string(kernel.height) +
                   "; expected at most " + std::to_string(conv::kMaxKernelSize) + "x" +
                   std::to_string(conv::kMaxKernelSize));
  }
  return kernel;
}

float Reader::to_float(double value, const YAML::Mark& mark, const std::string& what) const {
  // Up to half a float step above the largest float still rounds to it.
  constexpr double kLargest = std::numeric_limits<float>::max();
  if (std::fabs(value) >= kLargest + 0x1p103) {
    fail(mark, what + " does not fit a 32-bit float; expected a smaller number");
  }
  return static_cast<float>(std::clamp(value, -kLargest, kLargest));
}

void Reader::anchor(const YAML::Node& node, const YAML::Mark& key, conv::Kernel& kernel) const {
  const YAML::Mark mark = mark_of(node, key);
  const std::string label = "kernel '" + kernel.name + "' anchor";
  if (!node.IsSequence() || node.size() != 2) {
    fail(mark, label + " is not a pair; expected [x, y] (column, row from 0)");
  }
  const int x = integer(node[0], mark, label + " x");
  const int y = integer(node[1], mark, label + " y");
  if (x < 0 || x >= kernel.width || y < 0 || y >= kernel.height) {
    fail(mark, label + " [" + std::to_string(x) + ", " + std::to_string(y) +
                   "] is outside the kernel; expected x in 0.." + std::to_string(kernel.width - 1) +
                   " and y in 0.." + std::to_string(kernel.height - 1));
  }
  kernel.anchor_x = x;
  kernel.anchor_y = y;
}

}  // namespace conveyor::config::detail
