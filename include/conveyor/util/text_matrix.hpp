// Plain-text matrices: the format learners type by hand and tools read back.
//
//   # a 3x3 detector            <- comments and blank lines are ignored
//   0 1 0
//   1, 1, 1                     <- spaces and/or commas separate numbers
//   0 1 0
//
// and inline matrices such as [[0,1,0],[1,1,1],[0,1,0]] on a command line.
// Writing uses one row per line, single spaces and the shortest text that reads
// back to the same float (3 -> "3", 0.5 -> "0.5").
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace conveyor::util {

// A parse or read failure; the message starts with "origin:line:column: ".
class TextMatrixError : public std::runtime_error {
 public:
  explicit TextMatrixError(const std::string& what) : std::runtime_error(what) {}
};

struct TextMatrix {
  int width = 0;              // columns
  int height = 0;             // rows
  std::vector<float> values;  // row-major, width * height

  float at(int y, int x) const { return values[static_cast<std::size_t>(y) * width + x]; }
  std::vector<std::vector<float>> rows() const;
};

// Parses one number ("3", "-0.25", "1e-3", "+2") that must be finite and fit a
// float. On failure returns nullopt and, if asked, says what is wrong with it.
std::optional<float> parse_finite_float(std::string_view token, std::string* problem = nullptr);

// Parses the line format above. `origin` names the text in messages (a file
// name, "<string>"). Every value must be a finite number that fits a float.
TextMatrix parse_text_matrix(std::string_view text, const std::string& origin = "<string>");

// Reads and parses a file; a missing or unreadable file is a TextMatrixError too.
TextMatrix read_text_matrix(const std::filesystem::path& path);

// True when the text starts (after blanks) with '[': an inline matrix.
bool looks_like_inline_matrix(std::string_view text);

// Parses [[a,b,...],[c,d,...],...]; a single row may also be written [a,b,...].
TextMatrix parse_inline_matrix(std::string_view text, const std::string& origin = "<inline>");

// Shortest decimal text that parses back to exactly `value` ("-0" prints "0").
std::string format_number(float value);

// Writes `height` rows of `width` values, `stride` floats apart, one row per
// line, values separated by `separator` and nothing else.
void write_text_matrix(std::ostream& out, const float* data, int width, int height,
                       std::size_t stride, char separator = ' ');
void write_text_matrix(std::ostream& out, const TextMatrix& matrix, char separator = ' ');
std::string format_text_matrix(const TextMatrix& matrix, char separator = ' ');

}  // namespace conveyor::util
