#include "conveyor/util/text_matrix.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <ostream>
#include <sstream>
#include <system_error>

#include "conveyor/util/guarded_file.hpp"

namespace conveyor::util {
namespace {

// Matrices beyond this are certainly a mistake (a binary file, a wrong path).
constexpr std::size_t kMaxTextBytes = std::size_t{256} << 20;

[[noreturn]] void fail(const std::string& origin, std::size_t line, std::size_t column,
                       const std::string& message) {
  throw TextMatrixError(origin + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                        message);
}

std::string quoted(std::string_view token) {
  constexpr std::size_t kShown = 40;
  std::string text(token.substr(0, kShown));
  if (token.size() > kShown) text += "...";
  return "'" + text + "'";
}

}  // namespace

std::optional<float> parse_finite_float(std::string_view token, std::string* problem) {
  auto failed = [&](const std::string& message) -> std::optional<float> {
    if (problem != nullptr) *problem = message;
    return std::nullopt;
  };
  std::string_view digits = token;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  double parsed = 0;
  const char* end = digits.data() + digits.size();
  const auto result = std::from_chars(digits.data(), end, parsed);
  if (digits.empty() || result.ec == std::errc::invalid_argument || result.ptr != end) {
    return failed("expected a number, got " + quoted(token));
  }
  if (result.ec == std::errc::result_out_of_range) {
    return failed("value " + quoted(token) + " is out of range; expected a finite float");
  }
  if (!std::isfinite(parsed)) {
    return failed("value " + quoted(token) + " is not finite; expected a finite number");
  }
  // Values up to half a float step above the largest float still round to it.
  constexpr double kFloatLimit = static_cast<double>(std::numeric_limits<float>::max()) + 0x1p103;
  if (std::fabs(parsed) >= kFloatLimit) {
    return failed("value " + quoted(token) + " does not fit a 32-bit float; expected at most " +
                  format_number(std::numeric_limits<float>::max()));
  }
  return static_cast<float>(std::clamp(parsed,
                                       -static_cast<double>(std::numeric_limits<float>::max()),
                                       static_cast<double>(std::numeric_limits<float>::max())));
}

namespace {

void append_row(TextMatrix& matrix, const std::vector<float>& row, const std::string& origin,
                std::size_t line, std::size_t column) {
  if (matrix.height == 0) {
    matrix.width = static_cast<int>(row.size());
  } else if (static_cast<int>(row.size()) != matrix.width) {
    fail(origin, line, column,
         "row " + std::to_string(matrix.height + 1) + " has " + std::to_string(row.size()) +
             " values; expected " + std::to_string(matrix.width) + " like the first row");
  }
  matrix.values.insert(matrix.values.end(), row.begin(), row.end());
  ++matrix.height;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

std::vector<std::vector<float>> TextMatrix::rows() const {
  std::vector<std::vector<float>> result(static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    const auto begin = values.begin() + static_cast<std::ptrdiff_t>(y) * width;
    result[static_cast<std::size_t>(y)].assign(begin, begin + width);
  }
  return result;
}

TextMatrix parse_text_matrix(std::string_view text, const std::string& origin) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  TextMatrix matrix;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    line = line.substr(0, line.find('#'));

    std::vector<float> row;
    std::size_t i = 0;
    bool need_value = false;  // a comma was seen and no value followed yet
    while (true) {
      while (i < line.size() && is_blank(line[i])) ++i;
      if (i >= line.size()) break;
      if (line[i] == ',') {
        if (need_value || row.empty()) {
          fail(origin, line_number, i + 1, "empty value before ','; expected a number");
        }
        need_value = true;
        ++i;
        continue;
      }
      const std::size_t start = i;
      while (i < line.size() && !is_blank(line[i]) && line[i] != ',') ++i;
      std::string problem;
      const auto value = parse_finite_float(line.substr(start, i - start), &problem);
      if (!value) {
        fail(origin, line_number, start + 1,
             problem + " (value " + std::to_string(row.size() + 1) + " of row " +
                 std::to_string(matrix.height + 1) + ")");
      }
      row.push_back(*value);
      need_value = false;
    }
    if (!row.empty()) append_row(matrix, row, origin, line_number, 1);
  }
  if (matrix.height == 0) {
    fail(origin, line_number == 0 ? 1 : line_number, 1,
         "no numbers found; expected at least one row of numbers");
  }
  return matrix;
}

TextMatrix read_text_matrix(const std::filesystem::path& path) {
  const std::string origin = path.string();
  std::string text;
  try {
    text = read_regular_file(path, kMaxTextBytes, "a text matrix file");
  } catch (const FileReadError& e) {
    if (e.kind() == FileReadError::Kind::Missing) {
      throw TextMatrixError(origin + ": cannot open for reading: the file does not exist");
    }
    throw TextMatrixError(e.what());
  }
  if (text.find('\0') != std::string::npos) {
    throw TextMatrixError(origin + ": contains binary data; expected a text matrix");
  }
  return parse_text_matrix(text, origin);
}

bool looks_like_inline_matrix(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  return first != std::string_view::npos && text[first] == '[';
}

}  // namespace conveyor::util
