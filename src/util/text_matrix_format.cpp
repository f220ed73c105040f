// Inline matrices ([[...],[...]]) and writing matrices as text.
#include <charconv>
#include <cmath>
#include <ostream>
#include <sstream>

#include "conveyor/util/text_matrix.hpp"

namespace conveyor::util {
namespace {

// A tiny cursor over one line of text; columns in messages are 1-based.
class InlineParser {
 public:
  InlineParser(std::string_view text, const std::string& origin) : text_(text), origin_(origin) {}

  TextMatrix parse() {
    skip_blanks();
    expect('[', "'[' to open the matrix");
    skip_blanks();
    TextMatrix matrix;
    if (peek() == '[') {
      while (true) {
        append(matrix, parse_row());
        skip_blanks();
        if (peek() == ',') {
          ++pos_;
          skip_blanks();
        }
        if (peek() == ']') break;
        if (peek() != '[') fail("'[' to open the next row or ']' to close the matrix");
      }
      ++pos_;
    } else {
      append(matrix, parse_numbers());
    }
    skip_blanks();
    if (pos_ < text_.size()) fail("nothing after the closing ']'");
    return matrix;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void skip_blanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  [[noreturn]] void fail(const std::string& expected) const {
    std::string found = pos_ < text_.size() ? "'" + std::string(1, text_[pos_]) + "'"
                                            : std::string("the end of the text");
    throw TextMatrixError(origin_ + ":1:" + std::to_string(pos_ + 1) + ": expected " + expected +
                          ", found " + found + " in inline matrix '" + std::string(text_) + "'");
  }

  void expect(char c, const std::string& what) {
    if (peek() != c) fail(what);
    ++pos_;
  }

  std::vector<float> parse_row() {
    expect('[', "'[' to open a row");
    return parse_numbers();
  }

  // Numbers up to and including the closing ']' of the current row.
  std::vector<float> parse_numbers() {
    std::vector<float> row;
    skip_blanks();
    while (peek() != ']') {
      if (!row.empty()) {
        if (peek() == ',') ++pos_;
        skip_blanks();
      }
      const std::size_t start = pos_;
      while (pos_ < text_.size() &&
             std::string_view(", \t[]").find(text_[pos_]) == std::string_view::npos) {
        ++pos_;
      }
      if (start == pos_) {
        fail(row.empty() ? std::string("a number") : std::string("a number or ']'"));
      }
      row.push_back(number(start));
      skip_blanks();
    }
    ++pos_;
    if (row.empty()) {
      --pos_;
      fail("at least one number in the row (an empty kernel has no weights)");
    }
    return row;
  }

  float number(std::size_t start) {
    std::string problem;
    const auto value = parse_finite_float(text_.substr(start, pos_ - start), &problem);
    if (!value) {
      throw TextMatrixError(origin_ + ":1:" + std::to_string(start + 1) + ": " + problem +
                            " in inline matrix '" + std::string(text_) + "'");
    }
    return *value;
  }

  void append(TextMatrix& matrix, const std::vector<float>& row) {
    if (matrix.height > 0 && static_cast<int>(row.size()) != matrix.width) {
      throw TextMatrixError(origin_ + ":1:" + std::to_string(pos_) + ": row " +
                            std::to_string(matrix.height + 1) + " has " +
                            std::to_string(row.size()) + " values; expected " +
                            std::to_string(matrix.width) +
                            " like the first row, in inline matrix '" + std::string(text_) + "'");
    }
    matrix.width = static_cast<int>(row.size());
    matrix.values.insert(matrix.values.end(), row.begin(), row.end());
    ++matrix.height;
  }

  std::string_view text_;
  const std::string& origin_;
  std::size_t pos_ = 0;
};

}  // namespace

TextMatrix parse_inline_matrix(std::string_view text, const std::string& origin) {
  return InlineParser(text, origin).parse();
}

std::string format_number(float value) {
  if (value == 0.0f) return "0";  // also -0: a sign on zero only confuses readers
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

void write_text_matrix(std::ostream& out, const float* data, int width, int height,
                       std::size_t stride, char separator) {
  std::string line;
  for (int y = 0; y < height; ++y) {
    line.clear();
    const float* row = data + static_cast<std::size_t>(y) * stride;
    for (int x = 0; x < width; ++x) {
      if (x > 0) line += separator;
      line += format_number(row[x]);
    }
    line += '\n';
    out << line;
  }
}

void write_text_matrix(std::ostream& out, const TextMatrix& matrix, char separator) {
  write_text_matrix(out, matrix.values.data(), matrix.width, matrix.height,
                    static_cast<std::size_t>(matrix.width), separator);
}

std::string format_text_matrix(const TextMatrix& matrix, char separator) {
  std::ostringstream out;
  write_text_matrix(out, matrix, separator);
  return out.str();
}

}  // namespace conveyor::util
